"""NumPy's products and calculus: ``dot``, ``einsum``, ``kron``, ``cross``, ``cumsum``,
``gradient``, ``convolve``, ``interp``, ``trapezoid`` ...

Every one is differentiable: they are written with the standard's ops (matmul, concat,
indexing, sums) or, for ``einsum``, as an op whose gradient is itself an einsum.
"""
from __future__ import annotations

import builtins
import functools
import math as _math
import operator
import string
import warnings

import numpy as np

from .._ops import registry as _registry
from .._ops.registry import defop, apply, apply_or_run
from .._ops._common import normalize_axis_index
from .._backend import backend_of
from ._core import write_out as _out
from ._core import host_values, norm_order, int_axis
from ._core import numpy_data, numpy_into_out, cumulative
from ._core import (std, arr, arrs, copy_of, is_array, is_symbolic, to_numpy, host_result,
                    nodiff_guard, plain_numpy, make_host_op)

__all__ = ["dot", "vdot", "inner", "outer", "einsum", "einsum_path", "tensordot", "kron",
           "cross", "cumsum", "cumprod", "diff", "ediff1d", "gradient", "convolve",
           "correlate", "interp", "trapezoid", "trapz", "sinc", "fix", "around", "round",
           "matmul", "trace", "polyval", "polyfit", "poly", "roots", "polyadd", "polysub",
           "polymul", "polyder", "polyint", "polydiv", "cumulative_prod",
           "nancumsum", "nancumprod", "i0", "unwrap", "vecdot"]


def _scalar_product(npf, a, b):
    """``a * b`` for a 0-d operand of dot/inner, with NumPy's exact value (its loops'
    signs of zeros vary with length and alignment) and the product's gradient."""
    p = a * b
    if not numpy_data(a, b):   # (another backend, or an nd.jit / graph value)
        return p
    from .aliases import _exact
    return _exact(host_result(npf(to_numpy(a), to_numpy(b)), like=p), p)


def _blas_layout(x):
    """Whether NumPy's dot and matmul take ``x`` alike (C- or F-contiguous, or not a
    NumPy array: a traced value, another backend's), so that their values agree."""
    d = x._data if is_array(x) else None
    if type(d) is not np.ndarray:
        return True
    f = d.flags
    return f.c_contiguous or f.f_contiguous


def dot(a, b, out=None):
    """NumPy's ``dot``: scalars multiply, vectors give the inner product, matrices the
    matrix product, and N-D arrays sum over a's last and b's second-to-last axis.

    >>> import ndgrad as np
    >>> np.dot([1, 2], [3, 4])
    np.int64(11)
    """
    a, b = arrs(a, b)
    if a.ndim == 0 or b.ndim == 0:
        res = _scalar_product(np.dot, a, b)
    elif plain_numpy(a, b):
        # no gradient to record: NumPy's own dot. Its BLAS calls take a strided or
        # reversed operand's strides, where matmul's loop sums in another order: the two
        # differ in the last bits there (np.dot(x, y[::-1]) printed otherwise in float32)
        res = host_result(np.dot(a._data, b._data), like=a)
    elif b.ndim <= 2:
        if a.ndim == 1 and b.ndim == 1 and a.shape[0] != b.shape[0]:
            raise ValueError(f"shapes {a.shape} and {b.shape} not aligned: {a.shape[0]} "
                             f"(dim 0) != {b.shape[0]} (dim 0)")
        res = std("matmul")(a, b)
        if a.ndim > 2 or not (_blas_layout(a) and _blas_layout(b)):
            # (recorded, with an operand neither C- nor F-contiguous, or a stack: NumPy's
            # value, the product's gradient; matmul's batched loop differed in the last
            # bits from dot's of a (2, 3, 4) operand)
            from .aliases import numpys_value
            res = numpys_value("dot", (a, b), res)
    else:
        from .aliases import numpys_value
        # (NumPy's value, tensordot's gradient: its reshaped product rounds otherwise)
        res = numpys_value("dot", (a, b), tensordot(a, b, axes=([-1], [-2])))
    if out is not None and (np.dtype(out.dtype) != np.dtype(res.dtype) or
                            tuple(out.shape) != tuple(res.shape) or
                            not out.flags.c_contiguous):
        # NumPy's dot writes straight into out: it must be exactly the result's array
        raise ValueError("output array is not acceptable (must have the right datatype, "
                         f"number of dimensions, and be a C-Array): out is {out.dtype} "
                         f"{tuple(out.shape)}, the result {res.dtype} {tuple(res.shape)}")
    return _out(res, out)


def _gufunc_inputs(npname, xs, kwargs):
    """The operands cast to the loop NumPy's gufunc ``npname`` picks for ``dtype=`` /
    ``casting=``; any other keyword (``axes=`` ...) is refused, never ignored."""
    extra = set(kwargs) - {"dtype", "casting", "order", "subok"}
    if extra:
        raise TypeError(f"{npname}: ndgrad does not support the keyword(s) {sorted(extra)}")
    xs = arrs(*xs)
    if kwargs.get("dtype") is None and kwargs.get("casting", "same_kind") == "same_kind":
        return xs
    from .aliases import ufunc_loop
    in_dts, _ = ufunc_loop(getattr(np, npname), xs, kwargs.get("dtype"),
                           kwargs.get("casting", "same_kind"))
    return [x if x.dtype == dt else arr(x, dt) for x, dt in zip(xs, in_dts)]


def _gufunc_out(npname, res, out, casting="same_kind"):
    """``res`` written into ``out`` as NumPy's gufuncs do: the cast to ``out``'s dtype
    must be allowed by ``casting`` (float into an int ``out=`` is NumPy's TypeError)."""
    return _out(res, out, npname, casting)


def matmul(x1, x2, /, out=None, **kwargs):
    """Matrix product (``@``), batched over leading axes; ``axes=[(a1, a2), (b1, b2),
    (o1, o2)]`` names where each operand's matrix axes are (NumPy's gufunc keyword).

    >>> import ndgrad as np
    >>> np.matmul([[1, 2]], [[3], [4]])
    array([[11]])
    >>> np.matmul(np.ones((3, 2)), np.ones((2, 4)), axes=[(0, 1), (0, 1), (1, 0)]).shape
    (4, 3)
    """
    axes = kwargs.pop("axes", None)
    if axes is not None:
        return _matmul_axes(x1, x2, axes, out, kwargs)
    return _gufunc_out("matmul", std("matmul")(*_gufunc_inputs("matmul", (x1, x2), kwargs)),
                       out, kwargs.get("casting", "same_kind"))


def _matmul_axes(x1, x2, axes, out, kwargs):
    """``matmul`` with ``axes=``: each operand's two matrix axes moved last, the product,
    its two matrix axes moved where the third entry says (NumPy's own on NumPy data)."""
    a, b = arrs(x1, x2)
    if a.ndim < 2 or b.ndim < 2:
        raise TypeError(f"matmul: ndgrad supports axes= for operands of 2 or more "
                        f"dimensions; got shapes {a.shape} and {b.shape}")
    if not isinstance(axes, (list, tuple)) or len(axes) != 3:
        raise ValueError("axes should be a list with an entry for all 3 inputs and outputs; "
                         "entries for outputs can only be omitted if none of them has core "
                         "axes.")
    nd_out = builtins.max(a.ndim, b.ndim)
    picked = []
    for i, (entry, n) in enumerate(zip(axes, (a.ndim, b.ndim, nd_out))):
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            raise ValueError(f"axes item {i} should be a tuple with 2 elements (the "
                             f"operand's core dimensions); got {entry!r}")
        ax = tuple(normalize_axis_index(operator.index(v), n) for v in entry)
        if ax[0] == ax[1]:
            raise ValueError(f"axes item {i} has value {ax[0]} repeated")
        picked.append(ax)
    if plain_numpy(a, b):
        res = host_result(np.matmul(a._data, b._data, axes=[tuple(e) for e in axes],
                                    **kwargs), like=a)
        return _gufunc_out("matmul", res, out, kwargs.get("casting", "same_kind"))
    a, b = _gufunc_inputs("matmul", (a, b), kwargs)
    a = std("moveaxis")(a, picked[0], (-2, -1))
    b = std("moveaxis")(b, picked[1], (-2, -1))
    res = std("moveaxis")(std("matmul")(a, b), (-2, -1), picked[2])
    return _gufunc_out("matmul", res, out, kwargs.get("casting", "same_kind"))


def vdot(a, b, /):
    """The dot product of the flattened arrays, conjugating the first.

    >>> import ndgrad as np
    >>> np.vdot([1, 2], [3, 4])
    np.int64(11)
    """
    a, b = arrs(a, b)
    if plain_numpy(a, b) and a.size == b.size:
        # no gradient to record: NumPy's own (BLAS's dot, one pass; the composition's
        # conj, product and sum make three, ~4.5x)
        return host_result(np.vdot(to_numpy(a), to_numpy(b)), like=a)
    a, b = std("reshape")(a, (-1,)), std("reshape")(b, (-1,))
    if a.shape != b.shape:
        raise ValueError(f"vdot: the arrays have {a.shape[0]} and {b.shape[0]} elements; "
                         "they must have the same number")
    a0 = a
    if a.dtype.kind == "c":
        a = std("conj")(a)
    if a.dtype.kind == "b" and b.dtype.kind == "b":  # NumPy: a bool (any of the ands)
        return std("any")(a & b)
    if a.dtype.kind not in "fc" and b.dtype.kind not in "fc":
        p = a * b
        return std("sum")(p, dtype=p.dtype)  # (a dot product keeps the dtype: no int64)
    # NumPy's float vdot is BLAS's: its value (its own order of summation; inf * 0
    # gives nan+nanj there, not the inf+nanj of a * b), the product's gradient (the
    # surrogate quiet, as inner's)
    with np.errstate(all="ignore"):
        p = a * b
        s = std("sum")(p, dtype=p.dtype)
    return _numpy_product_value("vdot", a0, b, s)


def _numpy_product_value(npname, a, b, surrogate):
    """NumPy's ``vdot`` / ``inner`` / ``vecmat`` (BLAS's dot, or NumPy's conjugating
    loop) with ``surrogate``'s gradient (``numpys_value``); a 0-d result is NumPy's
    scalar."""
    from .aliases import numpys_value
    return _registry.with_0d_kind(numpys_value(npname, (a, b), surrogate), False)


def inner(a, b, /):
    """Sum product over the last axes.

    >>> import ndgrad as np
    >>> np.inner([1, 2], [3, 4])
    np.int64(11)
    """
    a, b = arrs(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return _scalar_product(np.inner, a, b)
    # (NumPy's inner of 1-d arrays is its scalar; its tensordot gives a 0-d array)
    if _dtype_kind(a, b) == "c":
        # NumPy's complex inner is BLAS's dot: its value (inf * 0 there gives nan+infj
        # where the product's formula gives nan+nanj), carrying the tensordot's gradient
        # where one is recorded (as vdot; the surrogate quiet: NumPy's own call reports
        # as the user's error state says)
        if plain_numpy(a, b):
            return host_result(np.inner(a._data, b._data))
        with np.errstate(all="ignore"):
            r = tensordot(a, b, axes=([-1], [-1]))
        return _numpy_product_value("inner", a, b, r)
    return _registry.with_0d_kind(tensordot(a, b, axes=([-1], [-1])), False)


def _dtype_kind(a, b):
    """The kind of the dtype ``a`` and ``b`` promote to (NumPy's rules), for arrays,
    graph tensors and traced values alike."""
    return np.result_type(*(np.dtype(getattr(x.dtype, "as_numpy_dtype", x.dtype))
                            for x in (a, b))).kind


def outer(a, b, out=None):
    """The outer product of the flattened inputs.

    >>> import ndgrad as np
    >>> np.outer([1, 2], [3, 4])
    array([[3, 4],
           [6, 8]])
    """
    a, b = arrs(a, b)
    a, b = std("reshape")(a, (-1, 1)), std("reshape")(b, (1, -1))
    return _out(a * b, out, "multiply")


def tensordot(a, b, axes=2):
    """Sum products over the given axes (``axes`` an int or a pair of axis lists).

    >>> import ndgrad as np
    >>> np.tensordot(np.ones((2, 3)), np.ones((3, 4)), axes=1).shape
    (2, 4)
    """
    a, b = arrs(a, b)
    if isinstance(axes, (int, np.integer)):
        axes = int(axes)
        a1, a2 = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        a1, a2 = axes
        a1 = [a1] if isinstance(a1, (int, np.integer)) else list(a1)
        a2 = [a2] if isinstance(a2, (int, np.integer)) else list(a2)
    a1 = tuple(normalize_axis_index(x, a.ndim) for x in a1)
    a2 = tuple(normalize_axis_index(x, b.ndim) for x in a2)
    if len(a1) != len(a2) or builtins.any(a.shape[i] != b.shape[j] for i, j in zip(a1, a2)):
        raise ValueError("shape-mismatch for sum")
    # (NumPy's tensordot reshapes its result: a 0-d array)
    return _registry.with_0d_kind(std("tensordot")(a, b, axes=(a1, a2)), True)


# -- einsum -----------------------------------------------------------------------------
def _parse_einsum(subscripts, shapes):
    """Explicit subscripts (ellipses expanded into letters), output included."""
    s = subscripts.replace(" ", "")
    if "->" in s:
        ins, out = s.split("->")
    else:
        ins, out = s, None
    ins = ins.split(",")
    for sub in ins + ([out] if out is not None else []):
        if sub.count("...") > 1 or sub.replace("...", "").count("."):
            raise ValueError(f"einsum: subscripts {sub!r} of {subscripts!r} have more than "
                             "one ellipsis or a stray '.'")
    if len(ins) != len(shapes):
        raise ValueError(f"einsum: {len(ins)} operands in the subscripts {subscripts!r}, "
                         f"{len(shapes)} given")
    used = set(c for c in s if c.isalpha())
    free = [c for c in string.ascii_letters if c not in used]
    ell_n = 0
    for sub, shp in zip(ins, shapes):
        if "..." in sub:
            ell_n = builtins.max(ell_n, len(shp) - (len(sub) - 3))
    ell = "".join(free[:ell_n])
    new_ins = []
    for sub, shp in zip(ins, shapes):
        if "..." in sub:
            k = len(shp) - (len(sub) - 3)
            sub = sub.replace("...", ell[ell_n - k:] if k else "")
        if len(sub) != len(shp):
            raise ValueError(f"einsum: operand with subscripts {sub!r} has {len(shp)} "
                             f"dimensions (shape {shp})")
        new_ins.append(sub)
    if out is None:
        counts = {}
        for sub in new_ins:
            for c in sub:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    else:
        if ell_n and "..." not in out:   # NumPy: broadcast dimensions are never summed away
            raise ValueError("output has more dimensions than subscripts given in einstein "
                             "sum, but no '...' ellipsis provided to broadcast the extra "
                             f"dimensions ({subscripts!r})")
        out = out.replace("...", ell)
    return new_ins, out


def _einsum_raw(xp, spec, *ops, optimize=False):
    ops = [np.asarray(o) if isinstance(o, (np.generic, float, int, complex)) else o
           for o in ops]
    opt = list(optimize) if type(optimize) is tuple else optimize   # (an explicit path)
    if builtins.all(
            type(o) is np.ndarray for o in ops):
        return np.asarray(np.einsum(spec, *ops, optimize=opt))
    bk = backend_of(next(o for o in ops if type(o) is not np.ndarray))
    if bk.name in ("cupy", "cupy_rules"):   # CuPy's own einsum (and the test backend's)
        ops = [bk.xp.asarray(o) if type(o) is np.ndarray else o for o in ops]  # scalars
        if bk.name == "cupy_rules":
            return bk.xp.einsum(spec, *ops)
        return bk.xp.asarray(__import__("cupy").einsum(spec, *ops))
    if bk.name == "dask":
        return __import__("dask.array").array.einsum(spec, *ops)
    return bk.xp.asarray(np.einsum(spec, *[bk.to_numpy(o) for o in ops], optimize=opt))


def _is_raw(o):
    """A backend array or a scalar (not an ndgrad Array, not a symbolic graph tensor)."""
    if isinstance(o, (np.generic, float, int, complex)):
        return True
    try:
        backend_of(o)
    except TypeError:
        return False
    return True


def _einsum_call(xp, spec, *ops, optimize=False):
    # the rule runs on raw arrays (first-order backward) or records again: on ndgrad
    # arrays (higher order) and on graph tensors (tf.gradients) alike
    if builtins.any(is_array(o) or not _is_raw(o) for o in ops):
        return apply(_einsum_op, ops, {"spec": spec, "optimize": optimize})
    return _einsum_raw(xp, spec, *ops, optimize=optimize)


def _einsum_vjp(xp, g, ans, *ops, spec, optimize=False):
    # (the gradient's einsums contract in the order NumPy's planner picks when the
    # forward asked for one: an explicit path is the forward's own, so they plan afresh)
    if type(optimize) is tuple:
        optimize = "greedy"
    ins, out = spec.split("->")
    ins = ins.split(",")
    grads = []
    for k, sub in enumerate(ins):
        others = [(s, o) for j, (s, o) in enumerate(zip(ins, ops)) if j != k]
        avail = set(out) | set("".join(s for s, _ in others))
        # the letters of operand k, each once, that the other terms can produce
        uniq = "".join(dict.fromkeys(sub))
        target = "".join(c for c in uniq if c in avail)
        terms = [out] + [s for s, _ in others]
        gk = _einsum_call(xp, ",".join(terms) + "->" + target, g, *[o for _, o in others],
                          optimize=optimize)
        shape = ops[k].shape
        size = {c: shape[i] for i, c in enumerate(sub)}
        # NumPy's einsum broadcasts a letter of length 1 against the others' (``ij,jk``
        # with j of 1 and 3): where operand k's is 1 and another term's longer, the
        # cotangent is summed back to 1; where operand k's is the longer one, the
        # cotangent's length there is 1 (the other terms'), broadcast below
        terms = [(out, g)] + others
        have = {}
        for c in target:
            n = _letter_len(c, terms)
            have[c] = size[c] if n is None else n   # (a graph's unknown length: k's)
        spread = tuple(i for i, c in enumerate(target) if size[c] == 1 and have[c] != 1)
        if spread:
            gk = xp.sum(gk, axis=spread, keepdims=True)
            have.update((target[i], 1) for i in spread)
        if target != uniq or builtins.any(have[c] != size[c] for c in target):
            # letters only in operand k, or broadcast ones: the gradient spread over them
            gk = xp.reshape(gk, tuple(have[c] if c in target else 1 for c in uniq))
            gk = xp.broadcast_to(gk, tuple(size[c] for c in uniq))
        if uniq != sub:  # repeated letters (a diagonal): spread onto the diagonal
            letters = list(sub)
            seen, masks = set(), []
            free = [c for c in string.ascii_letters if c not in spec]
            for i, c in enumerate(letters):
                if c in seen:
                    f = free.pop(0)
                    letters[i] = f
                    masks.append((c, f, size[c]))
                seen.add(c)
            eyes = [_eye_like(xp, g, n) for _, _, n in masks]
            spec_k = ",".join([uniq] + [c + f for c, f, _ in masks]) + "->" + "".join(letters)
            gk = _einsum_call(xp, spec_k, gk, *eyes)
        grads.append(gk)
    return tuple(grads)


def _letter_len(c, terms):
    """The length of letter ``c`` among ``terms`` (``(subscripts, array)`` pairs): the
    first that is not 1 (None where a graph tensor's is unknown), else 1."""
    for sub, o in terms:
        for i, ch in enumerate(sub):
            if ch == c and o.shape[i] != 1:
                return o.shape[i]
    return 1


def _eye_like(xp, g, n):
    from .._dtypes import as_dtype
    e = np.eye(n, dtype=as_dtype(g.dtype))
    if is_array(g):
        return arr(e, like=g)
    if isinstance(g, (np.ndarray, np.generic)) or is_symbolic(g):
        return e
    return backend_of(g).xp.asarray(e)


_einsum_op = defop("einsum", lambda xp, *ops, spec, optimize=False: _einsum_raw(
    xp, spec, *ops, optimize=optimize), _einsum_vjp, save="inputs")


def _einsum_sublists(args):
    """``(op0, sublist0, op1, sublist1, ..., [out_sublist])`` as (subscripts, operands);
    a sublist holds ints 0..51 (and ``...``)."""
    def letters(sub):
        out = []
        for k in sub:
            if k is Ellipsis:
                out.append("...")
                continue
            try:
                # (an integer, NumPy's or a 0-d integer array: ``list(np.arange(3))``)
                i = k.__index__() if not isinstance(k, bool) else None
            except (AttributeError, TypeError):
                i = None
            if i is None or not 0 <= i < 52:
                raise ValueError(f"einsum: subscript {k!r} in a sublist is not an int in "
                                 "[0, 52) or ...")
            out.append(string.ascii_letters[i])
        return "".join(out)
    ops, subs = list(args[0::2]), list(args[1::2])
    out = None
    if len(ops) > len(subs):  # an odd count: the last item is the output's sublist
        out = ops.pop()
    spec = ",".join(letters(s) for s in subs)
    if out is not None:
        spec += "->" + letters(out)
    return spec, ops


_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")


def einsum(*operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """Einstein summation over any subscripts, differentiable (its gradient is an einsum).

    >>> import ndgrad as np
    >>> np.einsum('ij,jk->ik', np.ones((2, 3)), np.ones((3, 2)))
    array([[3., 3.],
           [3., 3.]])
    >>> np.einsum(np.ones((2, 3)), [0, 1], np.ones((3, 2)), [1, 2], [0, 2]).shape
    (2, 2)
    """
    if not operands:
        raise ValueError("einsum needs the subscripts string and at least one operand")
    subscripts, *operands = operands
    if not isinstance(subscripts, str):  # NumPy's interleaved form: op0, sublist0, ...
        subscripts, operands = _einsum_sublists((subscripts, *operands))
    norm_order(order)   # (NumPy's ValueError for a bad one; the layout is ndgrad's own)
    if casting not in _CASTINGS:
        raise ValueError(f"casting must be one of {', '.join(map(repr, _CASTINGS))} (got "
                         f"{casting!r})")
    ops = arrs(*operands)
    ins, outs = _parse_einsum(subscripts, [o.shape for o in ops])
    # (one operand and nothing summed is a view in NumPy, which then ignores dtype= and
    # casting=; ndgrad casts as asked there)
    view = len(ops) == 1 and set(outs) == set(ins[0])
    if dtype is not None:
        for o in ([] if view else ops):   # NumPy's casting= (default 'safe') for dtype=
            if not np.can_cast(o.dtype, np.dtype(dtype), casting):
                raise TypeError(f"Cannot cast array data from {np.dtype(o.dtype)!r} to "
                                f"{np.dtype(dtype)!r} according to the rule {casting!r}")
        ops = [arr(o, dtype) for o in ops]
    spec = ",".join(ins) + "->" + outs
    opt = _einsum_optimize(optimize)
    if out is not None and not view:
        # NumPy sums in out's dtype (a float32 out of float64 operands: float32 sums)
        # (numpy_into_out passes no None: NumPy's optimize=None, one contraction of all
        # operands by its optimizing route, is the explicit path that says so)
        done = numpy_into_out("einsum", (spec, *ops), out, lambda: einsum(
            spec, *ops, dtype=dtype, casting=casting, optimize=optimize), dtype=dtype,
            casting=casting, optimize=optimize if optimize is not None else
            ["einsum_path", tuple(range(len(ops)))])
        if done is not None:
            return done
    params = {"spec": spec} if opt is False else {"spec": spec, "optimize": opt}
    return _out(apply(_einsum_op, tuple(ops), params), out, "einsum", casting)


def _einsum_optimize(optimize):
    """einsum's ``optimize=`` as an op parameter, as NumPy takes it: False, True, None, a
    strategy name ('greedy', 'optimal'), or an explicit path from ``einsum_path`` (kept as
    a tuple). NumPy contracts an optimized einsum pairwise, through BLAS where it can (its
    own bits, and O(n^3) where the plain loop over ``ij,jk,kl->il`` is O(n^4)); None too
    takes that route, without reordering. The option was taken and ignored."""
    if optimize is None or isinstance(optimize, (bool, np.bool_, str)):
        return bool(optimize) if isinstance(optimize, np.bool_) else optimize
    try:
        path = list(optimize)
    except TypeError:
        raise TypeError(f"einsum: optimize must be a bool, None, 'greedy', 'optimal' or an "
                        f"einsum_path, not {optimize!r}") from None
    if not path or path[0] != "einsum_path":
        raise TypeError(f"einsum: did not understand the path {optimize!r} (an einsum_path "
                        "starts with 'einsum_path')")
    return ("einsum_path",) + tuple(tuple(int(i) for i in step) for step in path[1:])


def einsum_path(*operands, optimize="greedy"):
    """NumPy's contraction-order planner (on the operands' values).

    >>> import ndgrad as np
    >>> np.einsum_path('ij,jk', np.ones((2, 2)), np.ones((2, 2)))[0]
    ['einsum_path', (0, 1)]
    """
    # (NumPy's interleaved form, einsum_path(a, [0, 1], b, [1, 2]), puts operands first
    # and keeps sublists as lists: each array, wherever it is, is handed over as NumPy's)
    if not operands:
        raise ValueError("einsum_path needs the subscripts string and at least one operand")
    return np.einsum_path(*[to_numpy(o) if is_array(o) or is_symbolic(o) else o
                            for o in operands], optimize=optimize)


def kron(a, b):
    """The Kronecker product (differentiable).

    >>> import ndgrad as np
    >>> np.kron([1, 2], [1, 10])
    array([ 1, 10,  2, 20])
    """
    a, b = arrs(a, b)
    dt = np.result_type(a.dtype, b.dtype)
    a, b = arr(a, dt), arr(b, dt)
    n = builtins.max(a.ndim, b.ndim)
    a = std("reshape")(a, (1,) * (n - a.ndim) + a.shape)
    b = std("reshape")(b, (1,) * (n - b.ndim) + b.shape)
    sa, sb = [], []
    for i in range(n):
        sa += [a.shape[i], 1]
        sb += [1, b.shape[i]]
    prod = std("reshape")(a, tuple(sa)) * std("reshape")(b, tuple(sb))
    return std("reshape")(prod, tuple(a.shape[i] * b.shape[i] for i in range(n)))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors (or 2-vectors, giving the z component).

    >>> import ndgrad as np
    >>> np.cross([1, 0, 0], [0, 1, 0])
    array([0, 0, 1])
    """
    from .shape import moveaxis
    a, b = arrs(a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"At least one array has zero dimension: cross of arrays of "
                         f"shapes {a.shape} and {b.shape}")
    if axis is not None:
        axisa = axisb = axisc = axis
    a = moveaxis(a, axisa, -1)
    b = moveaxis(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 2 "
                         "or 3)")
    if a.shape[-1] == 2 or b.shape[-1] == 2:
        # 2-vectors: as the installed NumPy takes them (2.0-2.4: deprecated, with its
        # warning; 2.5: refused)
        err, warn = _numpy_cross_2d(a.shape[-1], b.shape[-1])
        if err is not None:
            raise ValueError(err)
        if warn is not None:
            warnings.warn(warn, DeprecationWarning, stacklevel=2)
    a0, a1 = a[..., 0], a[..., 1]
    b0, b1 = b[..., 0], b[..., 1]
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        # (NumPy writes the z components into an array it made: a 0-d one prints array(-2))
        return _registry.with_0d_kind(a0 * b1 - a1 * b0, True)
    # NumPy's formulas: with a 2-vector the terms of its missing third component are left
    # out and the other negated (``-(a0 * b2)``, not ``0 - a0 * b2``: -0.0 where the
    # product is +0.0, as NumPy gives)
    if a.shape[-1] == 2:
        b2 = b[..., 2]
        parts = [a1 * b2, -(a0 * b2), a0 * b1 - a1 * b0]
    elif b.shape[-1] == 2:
        a2 = a[..., 2]
        parts = [-(a2 * b1), a2 * b0, a0 * b1 - a1 * b0]
    else:
        a2, b2 = a[..., 2], b[..., 2]
        parts = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0]
    c = std("stack")(parts, axis=-1)
    return moveaxis(c, -1, axisc)


@functools.cache
def _numpy_interp_of_nothing():
    """Whether the installed NumPy's ``interp`` of an empty ``x`` on empty sample points
    gives an empty array (NumPy 2.5) rather than its ValueError (2.4)."""
    try:
        np.interp(np.zeros(0), np.zeros(0), np.zeros(0))
    except ValueError:
        return False
    return True


@functools.cache
def _numpy_cross_2d(na, nb):
    """What the installed NumPy does with the cross product of an ``na``- and an
    ``nb``-vector, one of them 2: (its ValueError message or None, its warning or None)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            np.cross(np.zeros(na), np.zeros(nb))
        except ValueError as e:
            return str(e), None
    dep = [w for w in seen if issubclass(w.category, DeprecationWarning)]
    return None, (str(dep[0].message) if dep else None)


def _cumulative(name, a, axis, dtype, out, widen_unsigned):
    """NumPy's cumsum/cumprod: flattened when axis is None, small integers widened (with
    ``out=``, NumPy's own: it accumulates in the dtype promoted with out's)."""
    int_axis(axis)
    a = arr(a)
    if out is not None:
        from .stats import _numpy_out
        done = _numpy_out({"cumulative_sum": "cumsum", "cumulative_prod": "cumprod"}[name],
                          a, out, lambda: _cumulative(name, a, axis, dtype, None,
                                                      widen_unsigned),
                          axis=axis, dtype=dtype)
        if done is not None:
            return done
    if axis is None:
        a = std("reshape")(a, (-1,))
        axis = 0
    if dtype is None and a.dtype.kind in "bi" and a.dtype.itemsize < 8:
        dtype = np.int64
    if widen_unsigned and dtype is None and a.dtype.kind == "u" and a.dtype.itemsize < 8:
        dtype = np.uint64
    if dtype is not None:
        a = arr(a, dtype)
        # (accumulated in dtype itself: the standard's cumulative functions widen small
        # integers otherwise, and np.cumsum(x, dtype=np.int8) wraps around in int8)
        return _out(std(name)(a, axis=axis, dtype=a.dtype), out)
    return _out(std(name)(a, axis=axis), out)


def cumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum (over the flattened array when ``axis`` is None).

    >>> import ndgrad as np
    >>> np.cumsum([1, 2, 3])
    array([1, 3, 6])
    """
    return _cumulative("cumulative_sum", a, axis, dtype, out, widen_unsigned=True)


def cumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product (over the flattened array when ``axis`` is None).

    >>> import ndgrad as np
    >>> np.cumprod([1, 2, 3])
    array([1, 2, 6])
    """
    return _cumulative("cumulative_prod", a, axis, dtype, out, widen_unsigned=False)


def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """The standard's cumulative product (NumPy 2's ``cumulative_prod``, ``out=`` too).

    >>> import ndgrad as np
    >>> np.cumulative_prod(np.asarray([1, 2, 3]))
    array([1, 2, 6])
    """
    return cumulative("cumulative_prod", x, axis, dtype, out, include_initial)


def nancumsum(a, axis=None, dtype=None, out=None):
    """``cumsum`` with NaN counted as zero.

    >>> import ndgrad as np
    >>> np.nancumsum([1.0, np.nan, 2.0])
    array([1., 1., 3.])
    """
    a = arr(a)
    return cumsum(std("where")(std("isnan")(a), 0.0, a) if a.dtype.kind in "fc" else a,
                  axis, dtype, out)


def nancumprod(a, axis=None, dtype=None, out=None):
    """``cumprod`` with NaN counted as one.

    >>> import ndgrad as np
    >>> np.nancumprod([2.0, np.nan, 2.0])
    array([2., 2., 4.])
    """
    a = arr(a)
    return cumprod(std("where")(std("isnan")(a), 1.0, a) if a.dtype.kind in "fc" else a,
                   axis, dtype, out)


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """The ``n``-th discrete difference along ``axis``.

    >>> import ndgrad as np
    >>> np.diff([1, 4, 9, 16])
    array([3, 5, 7])
    """
    if n == 0:
        return a   # (NumPy returns its argument itself, a list too)
    a = arr(a)
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n}")
    if a.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    ax = normalize_axis_index(axis, a.ndim)
    parts = []
    if prepend is not None:
        pv = arr(prepend)
        if pv.ndim == 0:
            shp = list(a.shape)
            shp[ax] = 1
            pv = std("broadcast_to")(pv, tuple(shp))
        parts.append(pv)
    parts.append(a)
    if append is not None:
        av = arr(append)
        if av.ndim == 0:
            shp = list(a.shape)
            shp[ax] = 1
            av = std("broadcast_to")(av, tuple(shp))
        parts.append(av)
    if len(parts) > 1:
        a = std("concat")(parts, axis=ax)
    pre = (slice(None),) * ax
    for _ in range(n):
        if a.dtype == np.bool_:
            a = std("not_equal")(a[pre + (slice(1, None),)], a[pre + (slice(None, -1),)])
        else:
            a = a[pre + (slice(1, None),)] - a[pre + (slice(None, -1),)]
    return a


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of consecutive elements of the flattened array.

    >>> import ndgrad as np
    >>> np.ediff1d([1, 2, 4])
    array([1, 2])
    """
    if plain_numpy(ary, to_end, to_begin):
        # no gradient to record: NumPy's own (one subtract of two slices, no reshape and
        # slicing ops)
        a = arr(ary)
        return host_result(np.ediff1d(to_numpy(a), to_numpy(to_end), to_numpy(to_begin)),
                           like=a)
    a = std("reshape")(arr(ary), (-1,))
    d = a[1:] - a[:-1]
    parts = []
    if to_begin is not None:
        parts.append(std("reshape")(arr(to_begin, d.dtype), (-1,)))
    parts.append(d)
    if to_end is not None:
        parts.append(std("reshape")(arr(to_end, d.dtype), (-1,)))
    return std("concat")(parts, axis=0) if len(parts) > 1 else d


def gradient(f, *varargs, axis=None, edge_order=1):
    """Second-order central differences inside, one-sided at the edges (NumPy's
    ``gradient``); scalar spacings or coordinate arrays; differentiable.

    >>> import ndgrad as np
    >>> np.gradient([1.0, 2.0, 4.0, 7.0])
    array([1. , 1.5, 2.5, 3. ])
    """
    f = arr(f)
    if plain_numpy(f, *varargs):
        # no gradient to record: NumPy's own (it writes each difference into its output;
        # the composition below concatenates three parts per axis), its errors too
        res = np.gradient(to_numpy(f), *[to_numpy(v) if is_array(v) else v for v in varargs],
                          axis=axis, edge_order=edge_order)
        return (tuple(host_result(r, like=f) for r in res) if isinstance(res, (tuple, list))
                else host_result(res, like=f))
    if f.dtype.kind == "b" and f.ndim:
        raise TypeError("numpy boolean subtract, the `-` operator, is not supported, use the "
                        "bitwise_xor, the `^` operator, or the logical_xor function instead.")
    if f.dtype.kind not in "fc":
        f = std("astype")(f, np.float64)
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    axes = list(range(f.ndim)) if axis is None else (
        [normalize_axis_index(axis, f.ndim)] if isinstance(axis, int)
        else [normalize_axis_index(x, f.ndim) for x in axis])
    if not varargs:
        spacing = [1.0] * len(axes)
    elif len(varargs) == 1 and np.ndim(to_numpy(varargs[0])) == 0:
        spacing = [varargs[0]] * len(axes)
    elif len(varargs) == len(axes):
        spacing = list(varargs)
    else:
        raise TypeError("invalid number of arguments")
    outs = []
    for ax, h in zip(axes, spacing):
        n = f.shape[ax]
        if n < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, at "
                             "least (edge_order + 1) elements are required.")
        pre = (slice(None),) * ax

        def sl(a, b=None):
            return f[pre + (slice(a, b),)]
        # NumPy's arithmetic: a Python number stays weak, a NumPy / array scalar is strong
        # (a float64 one promotes a float32 f); equal coordinate steps count as one spacing
        hv = to_numpy(h) if is_array(h) else h
        if not isinstance(hv, (int, float, complex)):
            hv = np.asarray(hv)
        coords = None   # (recorded coordinates: the weights as ops of them, below)
        if np.ndim(hv) == 1:
            if is_array(h) and h._node is not None and _registry.grad_state.enabled:
                coords = h
            if len(hv) != n:
                raise ValueError("when 1d, distances must match the length of the "
                                 "corresponding dimension")
            if hv.dtype.kind in "iu":
                hv = hv.astype(np.float64)
            dx = np.diff(hv)
            if (dx == dx[0]).all():
                hv = dx[0]
        elif np.ndim(hv):
            raise ValueError("distances must be either scalars or 1d")
        if np.ndim(hv) == 0:
            hv = hv[()] if isinstance(hv, np.ndarray) else hv
            if isinstance(hv, np.generic) and not numpy_data(f):
                hv = arr(np.asarray(hv), like=f)   # (strong, as NumPy's scalar; a backend
                #                                     array, not a NumPy scalar)
            inner = (sl(2) - sl(None, -2)) / (2.0 * hv)
            if edge_order == 1:
                first = (sl(1, 2) - sl(0, 1)) / hv
                last = (sl(-1) - sl(-2, -1)) / hv
            else:
                first = (-1.5 / hv) * sl(0, 1) + (2.0 / hv) * sl(1, 2) + (-0.5 / hv) * sl(2, 3)
                last = (0.5 / hv) * sl(-3, -2) + (-2.0 / hv) * sl(-2, -1) + (1.5 / hv) * sl(-1)
        else:   # coordinates with unequal steps (NumPy's weights, from the same ops)
            first = inner = last = None
        out = (std("concat")([first, inner, last], axis=ax) if first is not None else
               _gradient_in_coordinates(f, ax, coords if coords is not None else
                                        arr(hv, like=f), edge_order))
        # NumPy writes into an array of f's dtype: coordinate arrays' float64 weights
        # do not promote a float32 / complex64 result
        out = out if out.dtype == f.dtype else std("astype")(out, f.dtype)
        if is_array(h) and h._node is not None and h.ndim == 0:
            # a recorded scalar spacing: the result is proportional to 1 / h (the values
            # stay those computed with h's value; d/dh = -out / h)
            from .aliases import _exact
            out = _exact(out, out * std("astype")(hv / h, out.dtype))
        elif coords is not None and first is not None:
            # equal steps: NumPy's uniform formula gives the value, the non-uniform one
            # (the same function there) the gradient in the coordinates
            from .aliases import _exact
            out = _exact(out, std("astype")(_gradient_in_coordinates(f, ax, coords,
                                                                     edge_order), out.dtype))
        outs.append(out)
    return outs[0] if len(outs) == 1 else tuple(outs)


def _gradient_in_coordinates(f, ax, x, edge_order):
    """``gradient``'s non-uniform formula along ``ax``, its weights computed by ops of the
    coordinates ``x`` as NumPy computes them (NumPy's values; a recorded ``x`` gets its
    gradient, also at equal steps, where NumPy's value takes the uniform formula, the
    same function there)."""
    pre = (slice(None),) * ax

    def sl(a, b=None):
        return f[pre + (slice(a, b),)]
    if x.dtype.kind not in "fc":
        x = std("astype")(x, np.float64)
    dx = x[1:] - x[:-1]
    shp = [1] * f.ndim
    shp[ax] = -1

    def col(v):
        return std("reshape")(v, tuple(shp))
    d1, d2 = dx[:-1], dx[1:]
    inner = (col(-d2 / (d1 * (d1 + d2))) * sl(None, -2) + col((d2 - d1) / (d1 * d2)) * sl(1, -1)
             + col(d1 / (d2 * (d1 + d2))) * sl(2))
    if edge_order == 1:
        first = (sl(1, 2) - sl(0, 1)) / dx[0]
        last = (sl(-1) - sl(-2, -1)) / dx[-1]
    else:
        h1, h2 = dx[0], dx[1]
        first = ((-(2. * h1 + h2) / (h1 * (h1 + h2))) * sl(0, 1)
                 + ((h1 + h2) / (h1 * h2)) * sl(1, 2) + (-h1 / (h2 * (h1 + h2))) * sl(2, 3))
        h1, h2 = dx[-2], dx[-1]
        last = ((h2 / (h1 * (h1 + h2))) * sl(-3, -2) + (-(h2 + h1) / (h1 * h2)) * sl(-2, -1)
                + ((2. * h2 + h1) / (h2 * (h1 + h2))) * sl(-1))
    return std("concat")([first, inner, last], axis=ax)


def _conv_full(a, v):
    """Full 1-D convolution by a gather of windows and a matrix-vector product."""
    n, m = a.shape[0], v.shape[0]
    z = std("zeros")((m - 1,), dtype=a.dtype, device=a.device)
    padded = std("concat")([z, a, z], axis=0) if m > 1 else a
    idx = np.arange(n + m - 1)[:, None] + np.arange(m)[None, :]
    windows = std("take")(padded, arr(idx.reshape(-1), like=a), axis=0)
    windows = std("reshape")(windows, (n + m - 1, m))
    return std("matmul")(windows, v[::-1])


def convolve(a, v, mode="full"):
    """Discrete linear convolution of two 1-D sequences (modes full, same, valid).

    >>> import ndgrad as np
    >>> np.convolve([1, 2, 3], [0, 1, 0.5])
    array([0. , 1. , 2.5, 4. , 1.5])
    """
    a, v = arrs(a, v)
    if plain_numpy(a, v):
        # no gradient to record: NumPy's own (its direct loop, NumPy's rounding; the
        # composition gathers the windows into an (n+m-1, m) matrix first)
        return host_result(np.convolve(to_numpy(a), to_numpy(v), mode), like=a)
    a0, v0 = a, v
    if a.ndim > 1 or v.ndim > 1:  # NumPy: 1-D sequences only (0-d counts as 1-D)
        raise ValueError(f"object too deep for desired array: convolve takes 1-D "
                         f"sequences; got shapes {a.shape} and {v.shape}")
    a, v = std("reshape")(a, (-1,)), std("reshape")(v, (-1,))
    if a.shape[0] == 0 or v.shape[0] == 0:
        raise ValueError("v cannot be empty" if v.shape[0] == 0 else "a cannot be empty")
    if v.shape[0] > a.shape[0]:
        a, v = v, a
    n, m = a.shape[0], v.shape[0]
    dt = np.result_type(a.dtype, v.dtype)
    a, v = arr(a, dt), arr(v, dt)
    full = _conv_full(a, v)
    if mode == "full":
        r = full
    elif mode == "same":
        start = (m - 1) // 2
        r = full[start:start + n]
    elif mode == "valid":
        r = full[m - 1:n]
    else:
        raise ValueError(f"mode must be one of 'valid', 'same', or 'full' (got {mode!r})")
    # NumPy's own value (the composition's rounding differs from its loop's in the last
    # bits), the composition's gradient
    from .aliases import numpys_value
    return numpys_value("convolve", (a0, v0), r, mode=mode)


def correlate(a, v, mode="valid"):
    """Cross-correlation of two 1-D sequences (NumPy's ``correlate``).

    >>> import ndgrad as np
    >>> np.correlate([1, 2, 3], [0, 1, 0.5])
    array([3.5])
    """
    a, v = arrs(a, v)
    if plain_numpy(a, v):
        # no gradient to record: NumPy's own (as convolve)
        return host_result(np.correlate(to_numpy(a), to_numpy(v), mode), like=a)
    a0, v0 = a, v
    if a.ndim != 1 or v.ndim != 1:  # NumPy: 1-D sequences only
        raise ValueError(f"correlate takes 1-D sequences (object of too small or too large "
                         f"depth); got shapes {a.shape} and {v.shape}")
    a, v = std("reshape")(a, (-1,)), std("reshape")(v, (-1,))
    if v.dtype.kind == "c":
        v = std("conj")(v)
    swap = v.shape[0] > a.shape[0]
    if swap:
        a, v = v, a
    n, m = a.shape[0], v.shape[0]
    dt = np.result_type(a.dtype, v.dtype)
    a, v = arr(a, dt), arr(v, dt)
    full = _conv_full(a, v[::-1])
    if mode == "full":
        r = full
    elif mode == "same":
        start = (m - 1) // 2
        r = full[start:start + n]
    elif mode == "valid":
        r = full[m - 1:n]
    else:
        raise ValueError(f"mode must be one of 'valid', 'same', or 'full' (got {mode!r})")
    from .aliases import numpys_value   # (NumPy's value, as convolve's)
    return numpys_value("correlate", (a0, v0), r[::-1] if swap else r, mode=mode)


def interp(x, xp, fp, left=None, right=None, period=None):
    """Piecewise-linear interpolation (differentiable in ``x`` and ``fp``).

    >>> import ndgrad as np
    >>> np.interp(2.5, [1, 2, 3], [3, 2, 0])
    np.float64(1.0)
    """
    x, xpv, fpv = arrs(x, xp, fp)
    if xpv.ndim != 1 or fpv.ndim != 1:
        raise ValueError(f"interp: xp and fp must be 1-d; got shapes {xpv.shape} and "
                         f"{fpv.shape}")
    for nm, v in (("x", x), ("xp", xpv)):
        if v.dtype.kind == "c":  # (NumPy's TypeError; only fp may be complex)
            raise TypeError(f"interp: {nm} must be real; got {v.dtype}")
    if xpv.shape[0] == 0 and not (x.size == 0 and _numpy_interp_of_nothing()):
        raise ValueError("interp: array of sample points xp is empty")
    if xpv.shape[0] != fpv.shape[0]:
        raise ValueError(f"interp: fp and xp are not of the same length ({fpv.shape[0]} "
                         f"and {xpv.shape[0]})")
    # NumPy computes in float64 (complex128 for a complex fp): float16/32 give float64
    if x.dtype != np.float64:
        x = std("astype")(x, np.float64)
    if xpv.dtype != np.float64:
        xpv = std("astype")(xpv, np.float64)
    fdt = np.complex128 if fpv.dtype.kind == "c" else np.float64
    if fpv.dtype != fdt:
        fpv = std("astype")(fpv, fdt)
    if xpv.shape[0] == 0:
        return std("astype")(x, fdt)   # (no points asked: NumPy 2.5's empty result)
    exact = None
    if numpy_data(x, xpv, fpv, left, right):
        # (NumPy's own values, where they can be read: not of nd.jit's traced values)
        hl, hr = (to_numpy(v) if is_array(v) else v for v in (left, right))
        exact = np.interp(to_numpy(x), to_numpy(xpv), to_numpy(fpv), left=hl, right=hr,
                          period=period)
    if exact is not None and plain_numpy(x, xpv, fpv, left, right):
        # no gradient to record: NumPy's one loop, not the differentiable composition's
        # searchsorted, four gathers and three selects (about 2x the time)
        return host_result(exact, like=x)
    if period is not None:
        period = builtins.abs(period)
        x = x % period
        order = np.argsort(to_numpy(xpv) % period)
        xpv = std("take")(xpv % period, arr(order, like=xpv), axis=0)
        fpv = std("take")(fpv, arr(order, like=fpv), axis=0)
        xpv = std("concat")([xpv[-1:] - period, xpv, xpv[0:1] + period], axis=0)
        fpv = std("concat")([fpv[-1:], fpv, fpv[0:1]], axis=0)
    n = xpv.shape[0]
    xs_np = to_numpy(xpv)
    j = np.clip(np.searchsorted(xs_np, to_numpy(x), side="right") - 1, 0, builtins.max(n - 2, 0))
    jj = arr(j, like=xpv)
    if n == 1:
        # (NumPy: fp[0] itself for every x between the bounds, NaN included)
        res = copy_of(std("broadcast_to")(fpv[0], x.shape))
    else:
        flat = std("reshape")(jj, (-1,))
        x0, x1 = std("take")(xpv, flat, axis=0), std("take")(xpv, flat + 1, axis=0)
        f0, f1 = std("take")(fpv, flat, axis=0), std("take")(fpv, flat + 1, axis=0)
        x0, x1, f0, f1 = (std("reshape")(t, x.shape) for t in (x0, x1, f0, f1))
        slope = (f1 - f0) / (x1 - x0)
        res = slope * (x - x0) + f0
        res = std("where")(x == x1, f1, res)      # (the last sample point: fp[-1])
        # at a sample point, fp itself (NumPy's value; the derivative in fp), unless the
        # segment's formula gives it too (then the derivative in x is the slope from the
        # right, as JAX's; selecting fp at every sample point made it 0 there)
        at_fp = std("where")(x == x0, f0, res)
    lo = fpv[0] if left is None else left
    hi = fpv[-1] if right is None else right
    res = std("where")(x < xpv[0], lo, res)
    res = std("where")(x > xpv[-1], hi, res)
    if n == 1:
        return res
    at_fp = std("where")(x < xpv[0], lo, at_fp)
    at_fp = std("where")(x > xpv[-1], hi, at_fp)
    if exact is None:
        # traced values (nd.jit): the formula where it gives fp at a sample point, else fp
        return std("where")(_bits_equal(res, at_fp), res, at_fp)
    # NumPy's values bit for bit: the first of the two compositions that gives NumPy's
    # value there, else NumPy's value itself (a constant: repeated sample points, a NaN
    # x, non-finite slopes -- NumPy's own fallbacks, where interp has no derivative)
    want = host_result(exact, like=x)
    res = std("where")(_bits_equal(res, want), res,
                       std("where")(_bits_equal(at_fp, want), at_fp, want))
    return res


def _bits_equal(a, b):
    """Elementwise: ``a`` and ``b`` hold the same number, signs of zeros included (NaN
    never: a NaN of NumPy's is taken as NumPy's)."""
    parts = ((a, b),) if a.dtype.kind != "c" else (
        (std("real")(a), std("real")(b)), (std("imag")(a), std("imag")(b)))
    same = None
    for p, q in parts:
        s = (p == q) & (std("signbit")(p) == std("signbit")(q))
        same = s if same is None else same & s
    return same


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral by the trapezoidal rule (differentiable).

    >>> import ndgrad as np
    >>> np.trapezoid([1, 2, 3])
    np.float64(4.0)
    """
    y = arr(y)
    ax = normalize_axis_index(int_axis(axis, "an integer is required"), y.ndim)
    if plain_numpy(y, x):
        # no gradient to record: NumPy's own (its slices' sum, product and reduction;
        # the composition's reshaped differences and divide cost a pass more)
        return host_result(np.trapezoid(to_numpy(y), None if x is None else to_numpy(arr(x)),
                                        dx, ax), like=y)
    pre = (slice(None),) * ax
    if x is None:
        d = dx
    else:
        xv = arr(x)
        if xv.ndim == 1:
            d = xv[1:] - xv[:-1]
            shp = [1] * y.ndim
            shp[ax] = d.shape[0]
            d = std("reshape")(d, tuple(shp))
        else:
            d = diff(xv, axis=ax)
    # (NumPy's order, d * (y1 + y2) / 2.0: the same rounding, and the same integer
    # wrap-around of d * (y1 + y2) for small integer dtypes)
    return std("sum")(d * (y[pre + (slice(1, None),)] + y[pre + (slice(None, -1),)]) / 2.0,
                      axis=ax)


trapz = trapezoid


def _sinc_forward(xp, x):
    # NumPy's own steps (numpy.sinc): y = pi x, 0 replaced by eps (1e-20 for complex)
    y = _math.pi * x
    eps = float(xp.finfo(x.dtype).eps) if xp.isdtype(x.dtype, "real floating") else 1e-20
    y = xp.where(y == 0, xp.full_like(y, eps), y)
    return xp.sin(y) / y


# (y cos y - sin y) / y**2 = sum_n>=1 (-1)**n 2n / (2n+1)! y**(2n-1): coefficients of
# y**1, y**3, ... y**17; for |y| < 1 the next term is below 1e-18 of the first
_SINC_SERIES = tuple((-1) ** n * 2 * n / _math.factorial(2 * n + 1) for n in range(1, 10))


def _sinc_vjp(xp, g, ans, x):
    # d/dx sin(y)/y = pi (y cos y - sin y) / y**2 with y = pi x. Differentiating the
    # composition gave pi (cos y / y - sin y / y**2): two numbers near 1/y whose
    # difference is about -y/3, so for small y the digits cancel (float64 at x = 1e-5:
    # 3e-7 relative error; float32 at x = 6e-5: 0). The series for |y| < 1, the closed
    # form elsewhere (no cancellation there: at |y| = 1 it is cos 1 - sin 1)
    y = _math.pi * x
    small = xp.abs(y) < 1
    ys = xp.where(small, y, xp.zeros_like(y))
    u = ys * ys
    poly = _SINC_SERIES[-1]
    for c in _SINC_SERIES[-2::-1]:
        poly = poly * u + c
    yb = xp.where(small, xp.ones_like(y), y)
    closed = (yb * xp.cos(yb) - xp.sin(yb)) / (yb * yb)
    return (g * (_math.pi * xp.where(small, ys * poly, closed)),)


_sinc_op = defop("numpy.sinc", _sinc_forward, _sinc_vjp, save="inputs")


def sinc(x):
    """``sin(pi x) / (pi x)``, 1 at 0 (differentiable; safe at 0).

    >>> import ndgrad as np
    >>> np.sinc([0.0, 0.5])
    array([1.        , 0.63661977])
    """
    x = arr(x)
    if plain_numpy(x):
        # no gradient to record: NumPy's own (no mask and two selects around the divide)
        return host_result(np.sinc(to_numpy(x)), like=x)
    if x.dtype.kind not in "fc":
        x = std("astype")(x, np.float64)
    return apply(_sinc_op, (x,))


def fix(x, out=None):
    """Round towards zero (as a float, as NumPy).

    >>> import ndgrad as np
    >>> np.fix([-2.5, 2.5])
    array([-2.,  2.])
    """
    return _out(std("trunc")(arr(x)), out, "trunc")


def around(a, decimals=0, out=None):
    """Round half to even to ``decimals`` decimal places (NumPy's ``around``).

    >>> import ndgrad as np
    >>> np.around([0.5, 1.5, 2.675], 2)
    array([0.5 , 1.5 , 2.68])
    """
    a = arr(a)
    # (a Python int, as NumPy takes it: a NumPy int64 decimals promoted a float32 result
    # to float64 in the composition's multiply)
    decimals = operator.index(decimals)
    if a.dtype.kind == "b" and decimals != 0:
        raise TypeError("Cannot cast ufunc 'multiply' output from dtype('float64') to "
                        "dtype('bool') with casting rule 'same_kind'")
    if out is not None and decimals != 0:
        # NumPy multiplies, rounds and divides in out itself (float32 out of a float64 x:
        # each step rounded to float32)
        done = numpy_into_out("round", (a, decimals), out, lambda: around(a, decimals))
        if done is not None:
            return done
    if a.dtype.kind == "c" and decimals != 0:
        # NumPy rounds the real and imaginary parts apart; piecewise constant (no gradient)
        nodiff_guard("round", a)
        return _out(_numpy_round(a, decimals), out, "rint")
    if decimals == 0:
        return _out(std("round")(a), out, "rint")
    if plain_numpy(a):
        # no gradient to record: NumPy's own (the same multiply, rint and divide, done in
        # place in one buffer instead of three temporaries)
        return _out(host_result(np.round(to_numpy(a), decimals), like=a), out, "rint")
    if a.dtype.kind in "iub":
        if decimals >= 0:
            return _out(a[...], out, "rint")
        return _out(_numpy_round(a, decimals), out, "rint")
    f = 10.0 ** decimals
    if decimals > 0:
        return _out(std("round")(a * f) / f, out, "rint")
    return _out(std("round")(a / (10.0 ** -decimals)) * (10.0 ** -decimals), out, "rint")


round = around  # noqa: A001


def _numpy_round(a, decimals):
    """NumPy's ``round(a, decimals)`` where it has no gradient (complex parts, integers
    to tens): on the values, or, for an nd.jit or graph value, as NumPy's function
    applied when the plan runs."""
    if is_symbolic(a):
        return apply(make_host_op("round", np.round), (a,),
                     {"_rest": (decimals,), "_kw": {}})
    return host_result(np.round(to_numpy(a), decimals), like=a)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """The sum of a diagonal (differentiable).

    >>> import ndgrad as np
    >>> np.trace(np.eye(3))
    np.float64(3.0)
    """
    from .shape import diagonal
    if out is not None:
        done = numpy_into_out("trace", (arr(a), offset, axis1, axis2), out,
                              lambda: trace(a, offset, axis1, axis2, dtype), dtype=dtype)
        if done is not None:
            return done     # (NumPy sums in the dtype promoted with out's)
    d = diagonal(arr(a), offset, axis1, axis2)
    return _out(std("sum")(d, axis=-1, dtype=dtype), out, reduction=True)


def vecdot(x1, x2, /, out=None, *, axis=-1, **kwargs):
    """The vector dot product along ``axis`` (conjugating ``x1``); NumPy's ``dtype=`` and
    ``casting=`` pick the loop the inputs are cast to first, as for ``matmul``.

    >>> import ndgrad as np
    >>> np.vecdot([1.0, 2.0], [3.0, 4.0])
    np.float64(11.0)
    >>> np.vecdot([1.5, 2.5], [2.0, 2.0], dtype=int, casting="unsafe")   # [1, 2] . [2, 2]
    np.int64(6)
    """
    xs = _gufunc_inputs("vecdot", (x1, x2), kwargs)
    return _gufunc_out("vecdot", std("vecdot")(*xs, axis=axis), out,
                       kwargs.get("casting", "same_kind"))


# I0 and I1 in the standard's operations, for i0's gradient (I0' = I1, I1' = I0 - I1/x):
# the power series where |x| < 20 (positive terms; 60 of them leave less than 1e-20 of
# the sum), the asymptotic expansion e^|x| / sqrt(2 pi |x|) sum_k (-1)^k a_k(nu) / |x|^k
# beyond (40 terms: the smallest is near k = 2|x|), a_k = a_{k-1} (4 nu^2 - (2k-1)^2) / 8k
_BESSEL_SPLIT = 20.0


def _bessel_i01(xp, x, nu):
    ax = xp.abs(x)
    small = ax < _BESSEL_SPLIT
    xs = xp.where(small, x, xp.zeros_like(x))
    h = xs / 2
    t = h * h
    term = xp.ones_like(x) if nu == 0 else h
    total = term
    for k in range(1, 60):
        term = term * t / (k * (k + nu))
        total = total + term
    xl = xp.where(small, xp.full_like(x, _BESSEL_SPLIT), ax)
    inv = 1 / xl
    a = xp.ones_like(x)
    acc = a
    c = 1.0
    for k in range(1, 40):
        c = c * (4 * nu * nu - (2 * k - 1) ** 2) / (8 * k)
        a = a * inv
        acc = acc + ((-1) ** k * c) * a
    big = xp.exp(xl - 0.5 * xp.log(2 * _math.pi * xl)) * acc
    if nu == 1:
        big = xp.where(x < 0, -big, big)   # (I1 is odd)
    return xp.where(small, total, big)


def _i1_vjp(xp, g, ans, x):
    # I1' = I0 - I1 / x; 1/2 at 0
    zero = x == 0
    xs = xp.where(zero, xp.ones_like(x), x)
    d = apply_or_run(_I0_OP, x)
    return (g * xp.where(zero, xp.full_like(x, 0.5), d - ans / xs),)


def _i0_vjp(xp, g, ans, x):
    return (g * apply_or_run(_I1_OP, x),)


_I0_OP = defop("numpy.i0_series", lambda xp, x: _bessel_i01(xp, x, 0), _i0_vjp, save="inputs")
_I1_OP = defop("numpy.i1_series", lambda xp, x: _bessel_i01(xp, x, 1), _i1_vjp, save="both")


def i0(x):
    """The modified Bessel function of the first kind, order 0 (NumPy's series).

    >>> import ndgrad as np
    >>> np.i0(0.0)
    array(1.)
    """
    x = arr(x)
    if x.dtype.kind == "c":
        raise TypeError("i0 not supported for complex values")
    if x.dtype.kind != "f":
        x = arr(x, np.float64)
    # NumPy's value (its Chebyshev expansion), exactly; the gradient I1 (under nd.jit too:
    # NumPy's function is then an op, run when the plan runs). It was a 40-term power
    # series' gradient, silently wrong past |x| = 40 (at 700: 7.4e104 for 1.5e302)
    if not is_symbolic(x) and x._node is None:   # (nothing to differentiate)
        return host_result(np.i0(to_numpy(x)), like=x)
    from .aliases import numpys_value   # (NumPy's i0 keeps the float dtype)
    return numpys_value("i0", (x,), apply(_I0_OP, (x,)), host=True)


def unwrap(p, discont=None, axis=-1, *, period=6.283185307179586):
    """Unwrap phase jumps larger than ``discont``.

    >>> import ndgrad as np
    >>> np.unwrap([0.0, 6.0]).round(3)
    array([ 0.   , -0.283])
    """
    p = arr(p)
    # (the jumps are whole periods: d/dperiod is their count, which ndgrad does not
    # record; discont only decides where they are, piecewise constant)
    nodiff_guard("unwrap (in its period)", period)
    discont, period = [to_numpy(v)[()] if is_array(v) else v for v in (discont, period)]
    if plain_numpy(p):
        # no gradient to record: NumPy's own (not its result's difference from p added
        # back and the first element selected: two passes more)
        return host_result(np.unwrap(to_numpy(p), discont, axis, period=period), like=p)
    if is_symbolic(p):
        # nd.jit, graph mode: the correction (whole periods: no gradient) is NumPy's,
        # computed when the plan runs
        corr = apply(make_host_op("unwrap_correction", _unwrap_correction), (p,),
                     {"_rest": (discont, axis), "_kw": {"period": period}})
    else:
        corr = arr(_unwrap_correction(to_numpy(p), discont, axis, period=period), like=p)
    r = p + corr
    if p.ndim == 0 or p.shape[axis] == 0:
        return r
    # NumPy keeps the first element along ``axis`` itself (-0.0 stays -0.0)
    first = np.zeros(p.shape[axis], bool)
    first[0] = True
    first = first.reshape((-1,) + (1,) * (p.ndim - 1 - normalize_axis_index(axis, p.ndim)))
    return std("where")(arr(first, like=p), arr(p, r.dtype), r)


def _unwrap_correction(p, discont, axis, period):
    """What NumPy's unwrap adds to ``p`` (NumPy arrays): whole periods."""
    return np.unwrap(p, discont, axis, period=period) - p


# -- polynomials (NumPy's poly1d-free functions) --------------------------------------------
def _with_poly1d(name, *args):
    """NumPy's own ``name`` where an argument is a ``numpy.poly1d`` (``polyval``: where
    ``x`` is): NumPy then returns poly1d objects (``polyadd``, ``polyder``, ``polydiv``'s
    pair ...), and ``polyval`` composes (``polyval(p, poly1d([1, 0]))`` is ``p``, not
    ``p`` evaluated at 1 and 0). None where no argument is a poly1d. A poly1d carries no
    gradient: an array that records one is refused there, not cut silently."""
    if not any(isinstance(a, np.poly1d) for a in args):
        return None
    nodiff_guard(f"{name} with a numpy.poly1d operand (its result is a poly1d)", *args)
    return getattr(np, name)(*[to_numpy(a) if is_array(a) else a for a in args])


def polyval(p, x):
    """Evaluate a polynomial by Horner's rule (differentiable in ``p`` and ``x``).

    >>> import ndgrad as np
    >>> np.polyval([1, 0, -1], 3)
    np.int64(8)
    >>> np.polyval([1, 2], np.poly1d([1, 0]))   # a poly1d ``x``: the composition
    poly1d([1, 2])
    """
    if isinstance(x, np.poly1d):
        return _with_poly1d("polyval", p, x)
    p, x = arrs(p, x)
    if p.ndim == 0:
        raise TypeError("iteration over a 0-d array: polyval needs a sequence of coefficients")
    if plain_numpy(p, x):
        # no gradient to record: NumPy's own (Horner's rule in place in one buffer; the
        # composition makes two temporaries per coefficient)
        return host_result(np.polyval(to_numpy(p), to_numpy(x)), like=x)
    y = std("zeros_like")(x)  # (NumPy: zeros_like(x), so bool stays bool)
    for i in range(p.shape[0]):
        y = y * x + p[i]
    return y


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least-squares polynomial fit (NumPy's, on the values).

    >>> import ndgrad as np
    >>> np.polyfit([0, 1, 2], [1, 3, 5], 1).round(6)
    array([2., 1.])
    """
    x, y = arrs(x, y)
    r = np.polyfit(to_numpy(x), to_numpy(y), deg, rcond=rcond, full=full,
                   w=None if w is None else to_numpy(arr(w)), cov=cov)
    from ._core import wrap_result
    return host_values("polyfit", wrap_result(r, like=x), x, y,
                       *(() if w is None else (arr(w),)))


def poly(seq_of_zeros):
    """Coefficients of the polynomial with the given roots.

    >>> import ndgrad as np
    >>> np.poly([1, 2])
    array([ 1., -3.,  2.])
    """
    z = arr(seq_of_zeros)
    return host_values("poly", arr(np.poly(to_numpy(z)), like=z), z)


def roots(p):
    """The roots of a polynomial.

    >>> import ndgrad as np
    >>> np.roots([1, -3, 2])
    array([2., 1.])
    """
    p = arr(p)
    return host_values("roots", arr(np.roots(to_numpy(p)), like=p), p)


def polyadd(a1, a2):
    """Sum of two polynomials.

    >>> import ndgrad as np
    >>> np.polyadd([1, 2], [1])
    array([1, 3])
    >>> np.polyadd(np.poly1d([1, 2]), [1])
    poly1d([1, 3])
    """
    if (r := _with_poly1d("polyadd", a1, a2)) is not None:
        return r
    a1, a2 = arrs(a1, a2)
    if plain_numpy(a1, a2):
        # no gradient to record: NumPy's own (the longer copied once, the shorter added
        # into its tail; no zero padding)
        return host_result(np.polyadd(to_numpy(a1), to_numpy(a2)), like=a1)
    a1, a2 = _poly_pair(a1, a2)
    return a1 + a2


def _poly_pair(a1, a2):
    """Both coefficient arrays at least 1-D, the shorter padded with leading zeros."""
    from .shape import pad, atleast_1d
    a1, a2 = atleast_1d(arr(a1)), atleast_1d(arr(a2))
    n = builtins.max(a1.shape[0], a2.shape[0])
    for a in (a1, a2):
        if a.shape[0] < n and a.ndim != 1:  # NumPy pads by concatenating 1-D zeros
            raise ValueError(f"all the input arrays must have same number of dimensions: "
                             f"cannot pad coefficients of shape {a.shape} with 1-D zeros")
    if a1.shape[0] < n:
        a1 = pad(a1, ((n - a1.shape[0], 0),) + ((0, 0),) * (a1.ndim - 1))
    if a2.shape[0] < n:
        a2 = pad(a2, ((n - a2.shape[0], 0),) + ((0, 0),) * (a2.ndim - 1))
    return a1, a2


def polysub(a1, a2):
    """Difference of two polynomials.

    >>> import ndgrad as np
    >>> np.polysub([1, 2], [1])
    array([1, 1])
    """
    if (r := _with_poly1d("polysub", a1, a2)) is not None:
        return r
    a1, a2 = arrs(a1, a2)
    if plain_numpy(a1, a2):
        # no gradient to record: NumPy's own (no zero padding)
        return host_result(np.polysub(to_numpy(a1), to_numpy(a2)), like=a1)
    a1, a2 = _poly_pair(a1, a2)
    return a1 - a2


def polymul(a1, a2):
    """Product of two polynomials.

    >>> import ndgrad as np
    >>> np.polymul([1, 1], [1, -1])
    array([ 1,  0, -1])
    """
    if (r := _with_poly1d("polymul", a1, a2)) is not None:
        return r
    (a1, k1, t1), (a2, k2, t2) = _poly_coeffs(a1), _poly_coeffs(a2)
    val = convolve(t1, t2)
    if a1._node is None and a2._node is None or not a1.size or not a2.size:
        return val
    # the gradient of the untrimmed product (a dropped leading zero is still a
    # coefficient to differentiate by: the product's sum is p(1) q(1) there too)
    from .aliases import _exact
    return _exact(val, convolve(a1, a2)[k1 + k2:])


def _poly_coeffs(c):
    """NumPy's ``poly1d(c).coeffs`` (1-D, leading zeros dropped, ``[0]`` when none are
    left: ``polymul([0, 1], [1])`` is ``[1]``, an empty factor the zero polynomial), as
    (``c`` 1-D, the number dropped, the coefficients)."""
    c = arr(c)
    if c.ndim == 0:
        c = std("reshape")(c, (1,))
    if c.ndim > 1:
        raise ValueError("Polynomial must be 1d only.")
    nz = np.flatnonzero(to_numpy(c) != 0)
    if nz.size == 0:
        return c, max(c.shape[0] - 1, 0), std("zeros")((1,), dtype=c.dtype, device=c.device)
    return c, int(nz[0]), (c[int(nz[0]):] if nz[0] else c)


def polyder(p, m=1):
    """Derivative of a polynomial.

    >>> import ndgrad as np
    >>> np.polyder([1, 1, 1])
    array([2, 1])
    """
    if (r := _with_poly1d("polyder", p, m)) is not None:
        return r
    p = arr(p)
    if p.ndim == 0:
        raise TypeError("len() of unsized object: polyder needs a sequence of coefficients")
    for k in range(m + 1):
        n = p.shape[0] - 1
        # (NumPy computes one step more than it returns: its shapes must broadcast)
        np.broadcast_shapes((builtins.max(n, 0),) + p.shape[1:], (builtins.max(n, 0),))
        if k < m:
            p = p[:-1] * arr(np.arange(n, 0, -1), like=p)
    return p


def polyint(p, m=1, k=None):
    """Antiderivative of a polynomial (NumPy's values; differentiable in ``p`` and the
    integration constants ``k``).

    >>> import ndgrad as np
    >>> np.polyint([3, 2])
    array([1.5, 2. , 0. ])
    >>> np.grad(lambda p: np.sum(np.polyint(p, 2)))(np.asarray([6.0, 2.0]))
    array([0.16666667, 0.5       ])
    """
    if (r := _with_poly1d("polyint", p, m, k)) is not None:
        return r
    p = arr(p)
    ks = (arr(k),) if is_array(k) else ()
    if plain_numpy(p, *ks):
        return arr(np.polyint(to_numpy(p), m, to_numpy(ks[0]) if ks else
                              (k if k is not None else 0)), like=p)
    # NumPy's steps: m times y = concatenate((y / arange(len(y), 0, -1), [k_i])), the
    # constants k (zeros for None; one spread over the m steps, or m of them)
    m = operator.index(m)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    kv = ks[0] if ks else arr(np.zeros(m) if k is None else np.atleast_1d(np.asarray(k)),
                              like=p)
    kv = std("reshape")(kv, (-1,))
    if kv.shape[0] == 1 and m > 1:
        kv = kv[0] * arr(np.ones(m), like=p)
    if kv.shape[0] < m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")
    y = p
    for i in range(m):
        y = std("concat")([y / arr(np.arange(y.shape[0], 0, -1), like=p),
                           std("reshape")(kv[i], (1,))])
    if numpy_data(p, *ks):   # (NumPy's own values, as without a gradient)
        from .aliases import _exact
        return _exact(arr(np.polyint(to_numpy(p), m, to_numpy(kv)), like=p), y)
    return y


def polydiv(u, v):
    """Quotient and remainder of polynomial division (NumPy's values; differentiable in
    both: the long division is replayed with ndgrad's ops for the gradient).

    >>> import ndgrad as np
    >>> np.polydiv([1, -3, 2], [1, -1])[0]
    array([ 1., -2.])
    """
    if (r := _with_poly1d("polydiv", u, v)) is not None:
        return r
    u, v = arr(u), arr(v)
    q, r = np.polydiv(to_numpy(u), to_numpy(v))
    qv, rv = host_result(q, like=u), host_result(r, like=u)
    if plain_numpy(u, v):
        return qv, rv
    # NumPy's steps: d = r[k] / v[0]; r[k:k+n+1] -= d * v, for k = 0 .. m - n; the
    # leading (near-)zeros it then trims from r are dropped by length
    uf = std("reshape")(u, (-1,)) + 0.0
    vf = std("reshape")(v, (-1,)) + 0.0
    m, n = uf.shape[0] - 1, vf.shape[0] - 1
    rs = [uf[i] for i in range(m + 1)]
    vs = [vf[j] for j in range(n + 1)]
    scale = 1.0 / vs[0]
    qs = []
    for k in range(m - n + 1):
        d = scale * rs[k]
        qs.append(d)
        for j in range(n + 1):
            rs[k + j] = rs[k + j] - d * vs[j]
    from .aliases import _exact
    if qs:
        qv = _exact(qv, std("astype")(std("stack")(qs), qv.dtype))
    rv = _exact(rv, std("astype")(std("stack")(rs[len(rs) - rv.shape[0]:]), rv.dtype))
    return qv, rv


def matvec(x1, x2, /, out=None, **kwargs):
    """Matrix-vector product over the last axes (NumPy 2.2's ``matvec``); differentiable.

    >>> import ndgrad as np
    >>> np.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])
    array([3., 7.])
    """
    a, v = _gufunc_inputs("matvec", (x1, x2), kwargs)
    if a.ndim < 2 or v.ndim < 1:
        raise ValueError(f"matvec: needs a matrix and a vector; got shapes {a.shape} and "
                         f"{v.shape}")
    if hasattr(np, "matvec") and plain_numpy(a, v):
        # no gradient to record: NumPy's own (for a strided operand its loop sums in
        # another order than the matmul below: the last bits differed)
        res = host_result(np.matvec(a._data, v._data), like=a)
    else:
        res = std("matmul")(a, std("reshape")(v, v.shape + (1,)))[..., 0]
    return _gufunc_out("matvec", res, out, kwargs.get("casting", "same_kind"))


def vecmat(x1, x2, /, out=None, **kwargs):
    """Vector-matrix product over the last axes, conjugating the vector; differentiable.

    >>> import ndgrad as np
    >>> np.vecmat([1.0, 1.0], [[1.0, 2.0], [3.0, 4.0]])
    array([4., 6.])
    """
    v, a = _gufunc_inputs("vecmat", (x1, x2), kwargs)
    if v.ndim < 1 or a.ndim < 2:
        raise ValueError(f"vecmat: needs a vector and a matrix; got shapes {v.shape} and "
                         f"{a.shape}")
    if hasattr(np, "vecmat") and plain_numpy(v, a):
        # no gradient to record: NumPy's own (as matvec)
        return _gufunc_out("vecmat", host_result(np.vecmat(v._data, a._data), like=v), out,
                           kwargs.get("casting", "same_kind"))
    vc = std("conj")(v) if v.dtype.kind == "c" else v
    res = std("matmul")(std("reshape")(vc, vc.shape[:-1] + (1, vc.shape[-1])), a)[..., 0, :]
    if v.dtype.kind == "c":
        # NumPy's conjugating loop rounds otherwise than the product of the conjugate
        # (BLAS): its own value (also under nd.jit), the composition's gradient
        res = _numpy_product_value("vecmat", v, a, res)
    return _gufunc_out("vecmat", res, out, kwargs.get("casting", "same_kind"))


# NumPy's legacy polynomial class works on ndgrad arrays as it is (it calls NumPy
# functions, which dispatch here): evaluating ``p(x)`` returns an ndgrad array
poly1d = np.poly1d

__all__ += ["matvec", "vecmat", "poly1d"]

"""TF's string ops over string tensors (NumPy object arrays of bytes): ``string_join``,
``reduce_join``, ``as_string``, ``string_split``, ``substr``, ``string_strip``,
``regex_replace``, ``regex_full_match``, and ``tf.strings`` (``join``, ``length``,
``lower``, ``upper``, ``strip``, ``substr``, ``regex_replace``, ``regex_full_match``,
``reduce_join``, ``to_number``, ``as_string``); none has a gradient."""
from __future__ import annotations

import builtins
import re
import types

import numpy as np

from .._ops.registry import defop, apply
from ..graph.core import Tensor
from ..graph import errors as _errors
from . import dtypes as _tfd
from .framework import build, convert_to_tensor

__all__ = ["string_join", "reduce_join", "as_string", "string_split", "substr",
           "string_strip", "regex_replace", "regex_full_match", "strings"]

_OBJ = np.dtype(object)


def _b(s):
    return s.encode("utf-8") if isinstance(s, str) else bytes(s)


def _bytes_array(a):
    a = np.asarray(a, dtype=object)
    out = np.empty(a.shape, dtype=object)
    for i, v in np.ndenumerate(a):
        out[i] = _b(v)
    return out


def _static(t):
    return t._shape if isinstance(t, Tensor) else tuple(np.shape(t))


def _elementwise_rule(dtype):
    """The shape of an elementwise string op: the non-scalar operands' shape (they must
    agree, as TF's kernels require; scalars are repeated)."""
    def rule(args, params):
        shapes = [_static(a) for a in args if isinstance(a, Tensor)]
        if any(s is None for s in shapes):
            return [(None, dtype)]
        out = ()
        for s in shapes:
            if s == ():
                continue
            if out == ():
                out = s
                continue
            if len(s) != len(out) or any(a is not None and b is not None and a != b
                                         for a, b in zip(out, s)):
                raise ValueError(f"Input shapes do not match: {out} vs. {s}")
            out = tuple(a if a is not None else b for a, b in zip(out, s))
        return [(out, dtype)]
    return rule


def _strings(x, name="input"):
    t = convert_to_tensor(x, dtype=_tfd.string)
    dt = t._np_dtype if isinstance(t, Tensor) else np.dtype(t.dtype)
    if dt != _OBJ:
        raise TypeError(f"{name} must be a string tensor, got {_tfd.of_numpy(dt).name}")
    return t


# -- join ----------------------------------------------------------------------------------
def _join_fwd(xp, *inputs, separator):
    arrs = [_bytes_array(a) for a in inputs]
    shapes = {a.shape for a in arrs if a.ndim}
    if len(shapes) > 1:
        raise _errors.InvalidArgumentError(
            None, None, f"Input shapes do not match: {sorted(shapes)}")
    shape = shapes.pop() if shapes else ()
    sep = _b(separator)
    out = np.empty(shape, dtype=object)
    for i in np.ndindex(shape):
        out[i] = sep.join(a[i] if a.ndim else a[()] for a in arrs)
    return out


_JOIN = defop("tf.string_join", _join_fwd, None, shape_rule=_elementwise_rule(_OBJ),
              nondiff="string ops have no gradient", save="none")


def string_join(inputs, separator="", name=None):
    """The strings of ``inputs`` joined elementwise with ``separator`` (scalars are
    repeated to the others' shape, which must agree).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.string_join([["a", "b"], "x"], separator="-"))
    array([b'a-x', b'b-x'], dtype=object)
    """
    items = list(inputs)
    if not items:
        raise ValueError("string_join: inputs must not be empty")
    return build(name, "StringJoin", lambda: apply(
        _JOIN, tuple(_strings(x, "inputs") for x in items), {"separator": separator}))


def _reduce_join_fwd(xp, x, axes, keepdims, separator):
    a = _bytes_array(x)
    # TF's order: the axes reduced one after another as given, the first innermost
    # (all axes: the last first, so row-major order)
    ax = tuple(range(a.ndim - 1, -1, -1)) if axes is None else tuple(
        (d + a.ndim if d < 0 else d) for d in axes)
    for d0, d in zip(axes if axes is not None else ax, ax):
        if not 0 <= d < a.ndim:
            raise _errors.InvalidArgumentError(
                None, None, f"Invalid reduction dimension {d0} for input with {a.ndim} "
                            f"dimensions.")
    seen = set()
    for d in ax:
        if d in seen:
            raise _errors.InvalidArgumentError(None, None,
                                               f"Duplicate reduction dimension {d}")
        seen.add(d)
    keep = [d for d in range(a.ndim) if d not in ax]
    moved = np.transpose(a, keep + list(reversed(ax))).reshape(
        [a.shape[d] for d in keep] + [-1 if a.size else int(np.prod([a.shape[d] for d in ax]))])
    sep = _b(separator)
    out = np.empty(moved.shape[:-1], dtype=object)
    for i in np.ndindex(out.shape):
        out[i] = sep.join(moved[i])
    if keepdims:
        out = out.reshape([1 if d in ax else a.shape[d] for d in range(a.ndim)])
    return out


def _reduce_join_rule(args, params):
    s = _static(args[0])
    if s is None:
        return [(None, _OBJ)]
    for d in params["axes"] or ():
        if not -len(s) <= d < len(s):
            raise ValueError(f"Invalid reduction dimension {d} for input with {len(s)} "
                             f"dimensions.")
    ax = tuple(range(len(s))) if params["axes"] is None else tuple(
        d + len(s) if d < 0 else d for d in params["axes"])
    if params["keepdims"]:
        return [(tuple(1 if d in ax else n for d, n in enumerate(s)), _OBJ)]
    return [(tuple(n for d, n in enumerate(s) if d not in ax), _OBJ)]


_REDUCE_JOIN = defop("tf.reduce_join", _reduce_join_fwd, None, shape_rule=_reduce_join_rule,
                     nondiff="string ops have no gradient", save="none")


def reduce_join(inputs, axis=None, keep_dims=None, separator="", name=None,
                reduction_indices=None, keepdims=None):
    """The strings along ``axis`` (all axes by default) joined with ``separator``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.reduce_join([["a", "b"], ["c", "d"]], axis=1, separator=","))
    array([b'a,b', b'c,d'], dtype=object)
    """
    axis = axis if axis is not None else reduction_indices
    from .tensor_util import static_argument
    axis = static_argument(axis, "reduce_join: axis")
    keep = bool(keepdims if keepdims is not None else keep_dims)
    axes = None if axis is None else tuple(int(a) for a in np.atleast_1d(axis))
    return build(name, "ReduceJoin", lambda: apply(
        _REDUCE_JOIN, (_strings(inputs, "inputs"),),
        {"axes": axes, "keepdims": keep, "separator": separator}))


# -- elementwise string functions ------------------------------------------------------------
def _map(fn, dtype):
    def fwd(xp, x, **params):
        a = _bytes_array(x)
        out = np.empty(a.shape, dtype=dtype)
        for i, v in np.ndenumerate(a):
            out[i] = fn(v, **params)
        return out
    return fwd


def _unary(name, tf_type, fn, dtype=_OBJ):
    op = defop(name, _map(fn, dtype), None, shape_rule=_elementwise_rule(dtype),
               nondiff="string ops have no gradient", save="none")

    def run(x, opname, **params):
        return build(opname, tf_type, lambda: apply(op, (_strings(x),), params))
    return run


_WS = b" \t\n\v\f\r"
_strip = _unary("tf.string_strip", "StringStrip", lambda s: s.strip(_WS))
_lower = _unary("tf.string_lower", "StringLower",
                lambda s, encoding: s.decode("utf-8").lower().encode("utf-8")
                if encoding else s.lower())
_upper = _unary("tf.string_upper", "StringUpper",
                lambda s, encoding: s.decode("utf-8").upper().encode("utf-8")
                if encoding else s.upper())
_length = _unary("tf.string_length", "StringLength",
                 lambda s, unit: len(s) if unit == "BYTE" else len(s.decode("utf-8")),
                 np.dtype(np.int32))


def string_strip(input, name=None):  # noqa: A002
    """Leading and trailing whitespace removed from each string.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.string_strip(["  a b \\n", "c"]))
    array([b'a b', b'c'], dtype=object)
    """
    return _strip(input, name)


def _lower_fn(input, encoding="", name=None):  # noqa: A002
    """Each string in lower case (ASCII letters; every letter with ``encoding="utf-8"``)."""
    return _lower(input, name, encoding=encoding)


def _upper_fn(input, encoding="", name=None):  # noqa: A002
    """Each string in upper case (ASCII letters; every letter with ``encoding="utf-8"``)."""
    return _upper(input, name, encoding=encoding)


def _length_fn(input, name=None, unit="BYTE"):  # noqa: A002
    """The length of each string in bytes (``unit="UTF8_CHAR"``: in characters)."""
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"Attr 'unit' of 'StringLength' Op passed string '{unit}' not in: "
                         f'"BYTE", "UTF8_CHAR".')
    return _length(input, name, unit=unit)


def _regex(pattern):
    try:
        return re.compile(_b(pattern))
    except re.error as e:
        raise _errors.InvalidArgumentError(None, None,
                                           f"Invalid pattern: {pattern!r}, error: {e}") \
            from None


def _rewrite(rewrite):
    # RE2's rewrite string: \0 is the whole match, \1..\9 groups (Python: \g<0>)
    return re.sub(rb"\\([0-9])", rb"\\g<\1>", _b(rewrite))


def _replace_fwd(xp, x, pattern, rewrite, replace_global):
    rx = _regex(pattern)
    rw = _rewrite(rewrite)
    a = _bytes_array(x)
    out = np.empty(a.shape, dtype=object)
    for i, v in np.ndenumerate(a):
        out[i] = rx.sub(rw, v, count=0 if replace_global else 1)
    return out


_REPLACE = defop("tf.regex_replace", _replace_fwd, None, shape_rule=_elementwise_rule(_OBJ),
                 nondiff="string ops have no gradient", save="none")


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """Matches of ``pattern`` replaced by ``rewrite`` (``\\1`` a group) in each string;
    only the first with ``replace_global=False``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.regex_replace(["a1b22"], r"(\\d+)", r"<\\1>"))
    array([b'a<1>b<22>'], dtype=object)
    """
    return build(name, "StaticRegexReplace", lambda: apply(
        _REPLACE, (_strings(input),), {"pattern": _b(pattern), "rewrite": _b(rewrite),
                                       "replace_global": bool(replace_global)}))


def _full_match_fwd(xp, x, pattern):
    rx = _regex(pattern)
    a = _bytes_array(x)
    out = np.empty(a.shape, dtype=bool)
    for i, v in np.ndenumerate(a):
        out[i] = rx.fullmatch(v) is not None
    return out


_FULL_MATCH = defop("tf.regex_full_match", _full_match_fwd, None,
                    shape_rule=_elementwise_rule(np.dtype(bool)),
                    nondiff="string ops have no gradient", save="none")


def regex_full_match(input, pattern, name=None):  # noqa: A002
    """Whether each whole string matches ``pattern``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.strings.regex_full_match(["ab1", "ab"], r"[a-z]+\\d"))
    array([ True, False])
    """
    return build(name, "StaticRegexFullMatch", lambda: apply(
        _FULL_MATCH, (_strings(input),), {"pattern": _b(pattern)}))


# -- substr --------------------------------------------------------------------------------
def _substr_fwd(xp, x, pos, length, unit):
    a = _bytes_array(x)
    p, n = np.asarray(pos), np.asarray(length)
    if p.shape != n.shape:
        raise _errors.InvalidArgumentError(
            None, None, f"pos and len should have the same shape, got: {list(p.shape)} "
                        f"vs. {list(n.shape)}")
    shape = np.broadcast_shapes(a.shape, p.shape)
    a, p, n = (np.broadcast_to(v, shape) for v in (a, p, n))
    out = np.empty(shape, dtype=object)
    for i in np.ndindex(shape):
        s = a[i] if unit == "BYTE" else a[i].decode("utf-8")
        k, m = int(p[i]), int(n[i])
        size = len(s)
        if k < 0:
            k += size
        if not 0 <= k <= size:
            raise _errors.InvalidArgumentError(
                None, None, f"pos {int(p[i])} out of range for string"
                            + ("" if not a.ndim else f" at index {list(i)}"))
        piece = s[k:k + max(m, 0)]
        out[i] = piece if unit == "BYTE" else piece.encode("utf-8")
    return out


def _broadcast_rule(args, params):
    from ..graph.core import broadcast_static
    shapes = [_static(a) for a in args if isinstance(a, Tensor)]
    if any(s is None for s in shapes):
        return [(None, _OBJ)]
    return [(broadcast_static(shapes), _OBJ)]


_SUBSTR = defop("tf.substr", _substr_fwd, None, shape_rule=_broadcast_rule,
                nondiff="string ops have no gradient", save="none")


def substr(input, pos, len, name=None, unit="BYTE"):  # noqa: A002
    """``len`` bytes (``unit="UTF8_CHAR"``: characters) of each string from ``pos`` (a
    negative ``pos`` counts from the end); ``pos`` past the end is an error.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.substr(["hello", "world"], 1, 3))
    array([b'ell', b'orl'], dtype=object)
    """
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"unit must be 'BYTE' or 'UTF8_CHAR', got {unit!r}")
    def f():
        p, n = convert_to_tensor(pos), convert_to_tensor(len)
        for what, t in (("pos", p), ("len", n)):
            dt = t._np_dtype if isinstance(t, Tensor) else np.dtype(t.dtype)
            if dt.kind not in "iu":
                raise TypeError(f"substr: {what} must be int32 or int64, got "
                                f"{_tfd.of_numpy(dt).name}")
        ps, ns = _static(p), _static(n)
        if ps is not None and ns is not None and (builtins.len(ps) != builtins.len(ns) or any(
                a is not None and b is not None and a != b for a, b in zip(ps, ns))):
            raise ValueError(f"substr: pos and len must have the same shape, got {ps} and "
                             f"{ns}")
        pd = p._np_dtype if isinstance(p, Tensor) else np.dtype(p.dtype)
        nd_ = n._np_dtype if isinstance(n, Tensor) else np.dtype(n.dtype)
        if pd != nd_:
            raise TypeError(f"substr: pos and len must have one dtype, got {pd} and {nd_}")
        return apply(_SUBSTR, (_strings(input), p, n), {"unit": unit})
    return build(name, "Substr", f)


# -- as_string -------------------------------------------------------------------------------
def _as_string_fwd(xp, x, precision, scientific, shortest, width, fill):
    a = np.asarray(x)
    kind = a.dtype.kind
    out = np.empty(a.shape, dtype=object)
    w = "" if width < 0 else str(width)
    f = fill if fill else ""
    if kind == "b":
        for i, v in np.ndenumerate(a):
            out[i] = b"true" if v else b"false"
        return out
    if kind in "iu":
        if scientific or shortest or precision >= 0:
            raise _errors.InvalidArgumentError(
                None, None, "scientific and shortest format not supported for datatype "
                            f"{a.dtype.name}" if scientific or shortest else
                            f"precision not supported for datatype {a.dtype.name}")
        spec = "%" + f + w + "d"
        for i, v in np.ndenumerate(a):
            out[i] = (spec % int(v)).encode()
        return out
    if kind not in "fc":
        raise TypeError(f"as_string: unsupported dtype {a.dtype}")
    conv = "e" if scientific else "g" if shortest else "f"
    prec = "" if precision < 0 else "." + str(precision)
    spec = "%" + f + w + prec + conv

    def one(v):
        return spec % float(v)      # (printf's text for nan and inf too, as TF's)
    for i, v in np.ndenumerate(a):
        if kind == "c":
            out[i] = f"({one(v.real)},{one(v.imag)})".encode()
        else:
            out[i] = one(v).encode()
    return out


_AS_STRING = defop("tf.as_string", _as_string_fwd, None, shape_rule=_elementwise_rule(_OBJ),
                   nondiff="string ops have no gradient", save="none")


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="",  # noqa: A002
              name=None):
    """Each number as text, printf-style (floats ``%f``, or ``%e`` / ``%g`` with
    ``scientific`` / ``shortest``; ``width`` padded with ``fill``); bools ``true``/``false``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.as_string([1.5, 2.0], precision=2))
    array([b'1.50', b'2.00'], dtype=object)
    """
    if scientific and shortest:
        raise ValueError("Cannot select both scientific and shortest notation")
    if fill and (len(fill) != 1 or fill not in " 0"):
        # (TF takes one fill character; printf flags make '0' and ' ' the portable ones)
        raise ValueError(f"Fill string must be one or fewer characters, got {fill!r}"
                         if len(fill) > 1 else f"fill {fill!r} is not supported here: use "
                         f"'0' or ' '")
    return build(name, "AsString", lambda: apply(
        _AS_STRING, (convert_to_tensor(input),),
        {"precision": int(precision), "scientific": bool(scientific),
         "shortest": bool(shortest), "width": int(width), "fill": fill}))


# -- string_split ------------------------------------------------------------------------------
def _split_fwd(xp, x, delimiter, skip_empty):
    a = _bytes_array(x)
    if a.ndim != 1:
        raise _errors.InvalidArgumentError(None, None,
                                           f"input must be a vector, got shape: {a.shape}")
    d = _b(delimiter)
    rows, vals = [], []
    width = 0
    for r, s in enumerate(a.tolist()):
        if d:
            parts = re.split(b"[" + re.escape(d) + b"]", s)
        else:
            parts = [s[k:k + 1] for k in range(len(s))]
        if skip_empty:
            parts = [p for p in parts if p]
        for c, p in enumerate(parts):
            rows.append((r, c))
            vals.append(p)
        width = max(width, len(parts))
    idx = np.asarray(rows, dtype=np.int64).reshape(-1, 2)
    v = np.empty(len(vals), dtype=object)
    v[:] = vals
    return idx, v, np.asarray([a.shape[0], width], dtype=np.int64)


_SPLIT = defop("tf.string_split", _split_fwd, None, multi=True,
               shape_rule=lambda a, p: [((None, 2), np.dtype(np.int64)), ((None,), _OBJ),
                                        ((2,), np.dtype(np.int64))],
               nondiff="string ops have no gradient", save="none")


def string_split(source, delimiter=" ", skip_empty=True, name=None):
    """Each string of the vector ``source`` split at any character of ``delimiter``
    (each character when it is empty): a SparseTensor of the pieces, row ``i`` holding
    the pieces of ``source[i]`` (empty ones dropped with ``skip_empty``).

    >>> import ndgrad.tf as tf
    >>> st = tf.Session().run(tf.string_split(["a b", "c"]))
    >>> st.values.tolist(), st.dense_shape.tolist()
    ([b'a', b'b', b'c'], [2, 2])
    """
    from .sparse_tensor import SparseTensor
    from .tensor_util import static_argument
    if isinstance(delimiter, Tensor):
        c = static_argument(delimiter, "string_split: delimiter")
        delimiter = c[()] if getattr(c, "ndim", 0) == 0 else c
    if not isinstance(delimiter, (str, bytes)):
        raise ValueError(f"string_split: delimiter must be a scalar string, got "
                         f"{delimiter!r}")
    idx, vals, shape = build(name, "StringSplit", lambda: apply(
        _SPLIT, (_strings(source, "source"),),
        {"delimiter": _b(delimiter), "skip_empty": bool(skip_empty)}))
    return SparseTensor(idx, vals, shape)


def _to_number(string_tensor, out_type=_tfd.float32, name=None):
    """``tf.string_to_number``."""
    from .parsing_ops import string_to_number
    return string_to_number(string_tensor, out_type=out_type, name=name)


strings = types.ModuleType("ndgrad.tf.strings", "TF's tf.strings namespace.")
strings.join = string_join
strings.reduce_join = reduce_join
strings.as_string = as_string
strings.length = _length_fn
strings.lower = _lower_fn
strings.upper = _upper_fn
strings.strip = string_strip
strings.substr = substr
strings.regex_replace = regex_replace
strings.regex_full_match = regex_full_match
strings.to_number = _to_number
string_length = _length_fn
string_lower = _lower_fn
string_upper = _upper_fn

"""Run-time checks: ``tf.Assert``, the ``tf.assert_*`` comparisons (TensorFlow's
``check_ops``) and ``tf.check_numerics`` / ``tf.verify_tensor_all_finite``.

In a graph each check is an op that raises ``InvalidArgumentError`` when a run finds the
condition false (use it through ``control_dependencies``, or fetch it); in eager mode
the check runs at once.
"""
from __future__ import annotations

import contextlib

import numpy as np

from ..graph import errors
from ..graph.core import Tensor, get_default_graph
from . import framework as _fw
from . import math_ops as M
from . import op_dtypes as _op_dtypes
from .framework import convert_to_tensor
from .extra_ops import _tf_str

__all__ = ["Assert", "assert_equal", "assert_none_equal", "assert_less",
           "assert_less_equal", "assert_greater", "assert_greater_equal",
           "assert_positive", "assert_negative", "assert_non_negative",
           "assert_non_positive", "assert_rank", "assert_scalar", "assert_type",
           "assert_near", "assert_rank_at_least", "assert_rank_in", "assert_integer",
           "is_non_decreasing", "is_strictly_increasing", "ensure_shape",
           "check_numerics", "verify_tensor_all_finite"]


def _summary(values, summarize):
    """TF's rendering of an Assert's data: strings as they are, arrays as
    ``[v v v...]`` (at most ``summarize`` values)."""
    parts = []
    for v in values:
        if isinstance(v, (str, bytes)):
            parts.append(v.decode() if isinstance(v, bytes) else v)
            continue
        a = np.asarray(v)
        if a.dtype.kind in "SUO" and a.ndim == 0:
            s = a.item()
            parts.append(s.decode() if isinstance(s, bytes) else str(s))
            continue
        flat = a.reshape(-1)
        n = flat.size if summarize is None or summarize < 0 else summarize
        items = " ".join(_tf_str(e) for e in flat[:n])
        parts.append(f"[{items}{'...' if flat.size > n else ''}]")
    return " ".join(parts)


def Assert(condition, data, summarize=None, name=None):
    """An op that fails the run (``InvalidArgumentError``, "assertion failed: ...")
    when ``condition`` (a scalar bool) is False; ``data``: strings and tensors printed in
    the message (at most ``summarize`` (3) values of each). Eager: checks now.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, ())
    ...     check = tf.Assert(x > 0, ["x must be positive, got", x])
    ...     with tf.control_dependencies([check]):
    ...         y = tf.sqrt(x)
    ...     with tf.Session() as s:
    ...         print(s.run(y, {x: 4.0}))
    ...         try:
    ...             s.run(y, {x: -1.0})
    ...         except tf.errors.InvalidArgumentError as e:
    ...             print(e.message)
    2.0
    assertion failed: [x must be positive, got] [-1]
    """
    n = 3 if summarize is None else summarize
    if _fw.executing_eagerly():
        c = np.asarray(_fw.eager_values(convert_to_tensor(condition)))
        if c.shape != ():
            raise ValueError(f"Assert: condition must be a scalar; got shape {c.shape}")
        if not bool(c):
            vals = [d if isinstance(d, (str, bytes)) else _fw.eager_values(
                convert_to_tensor(d)) for d in data]
            raise errors.InvalidArgumentError(
                None, None, "assertion failed: " + _message(vals, n))
        return None
    c = convert_to_tensor(condition)
    if c._np_dtype != np.bool_:
        raise ValueError(f"Assert: condition must be bool; got {c._np_dtype} ('{c.name}')")
    if c._shape is not None and len(c._shape) != 0:
        raise ValueError(f"Assert: condition must be a scalar; '{c.name}' has shape "
                         f"{c._shape}")
    g = c.graph if isinstance(c, Tensor) else get_default_graph()
    strings = {}
    tensors = []
    for k, d in enumerate(data):
        if isinstance(d, (str, bytes)):
            strings[k] = d
        else:
            tensors.append(convert_to_tensor(d))

    def fn(ctx, cv, *vals):
        if not bool(np.asarray(cv)):
            it = iter(vals)
            items = [strings[k] if k in strings else next(it) for k in range(len(data))]
            raise errors.InvalidArgumentError(
                None, op, "assertion failed: " + _message(items, n))
        return ()

    op = g.special_op("Assert", name or "Assert", (c,) + tuple(tensors), fn, [])
    return op


def _message(items, n):
    return " ".join(f"[{_summary([v], n)}]" if isinstance(v, (str, bytes))
                    else _summary([v], n) for v in items)


def _static_value(t):
    """The value of a graph constant (None for anything computed in a run)."""
    if isinstance(t, Tensor) and t._op._kind == "const":
        return np.asarray(t._op._attrs["value"])
    return None


def _static_check(values, np_compare, data, summarize):
    """TF checks at build time what constants decide: a failing check raises
    ``InvalidArgumentError`` now, naming the values."""
    if any(v is None for v in values):
        return
    try:
        ok = bool(np.all(np_compare(*values)))
    except ValueError as e:
        raise ValueError(f"Incompatible shapes: {[list(np.shape(v)) for v in values]} "
                         f"({e})") from None
    if not ok:
        items = [d if isinstance(d, (str, bytes)) else _static_value(d) for d in data]
        if all(i is not None for i in items):
            raise errors.InvalidArgumentError(
                None, None, "assertion failed: " + _message(items, 3 if summarize is None
                                                           else summarize))


def _binary_check(x, y, compare, symbol, data, summarize, message, name):
    from .._ops.registry import Array
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=None if isinstance(y, (Tensor, Array)) else x.dtype)
    np_compare = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
                  ">": np.greater, ">=": np.greater_equal}[symbol]
    cond = M.reduce_all(compare(x, y))
    if data is None:
        xn = getattr(x, "name", "x")
        yn = getattr(y, "name", "y")
        data = [f"Condition x {symbol} y did not hold element-wise:",
                f"x ({xn}) = ", x, f"y ({yn}) = ", y]
    if message is not None:
        data = [message] + list(data)
    if not _fw.executing_eagerly():
        _static_check([_static_value(x), _static_value(y)], np_compare, data, summarize)
    return Assert(cond, data, summarize=summarize, name=name)


def _make_binary(compare, symbol, tf_name, example):
    def check(x, y, data=None, summarize=None, message=None, name=None):
        return _binary_check(x, y, compare, symbol, data, summarize, message,
                             name or tf_name)
    check.__name__ = tf_name
    check.__doc__ = (f"An ``Assert`` that ``x {symbol} y`` holds element-wise (after "
                     "broadcasting); fails the run (``InvalidArgumentError``) when not.\n\n"
                     "    >>> import ndgrad.tf as tf\n"
                     "    >>> with tf.Graph().as_default():\n"
                     f"    ...     op = tf.{tf_name}(tf.constant([1, 2]), tf.constant({example}))\n"
                     "    ...     print(op.type)\n"
                     "    Assert\n")
    return check


assert_equal = _make_binary(M.equal, "==", "assert_equal", "[1, 2]")
assert_none_equal = _make_binary(M.not_equal, "!=", "assert_none_equal", "[3, 4]")
assert_less = _make_binary(M.less, "<", "assert_less", "[3, 4]")
assert_less_equal = _make_binary(M.less_equal, "<=", "assert_less_equal", "[1, 4]")
assert_greater = _make_binary(M.greater, ">", "assert_greater", "[0, 1]")
assert_greater_equal = _make_binary(M.greater_equal, ">=", "assert_greater_equal", "[1, 1]")


def _make_sign(compare, what, tf_name):
    np_compare = {"> 0": np.greater, "< 0": np.less, ">= 0": np.greater_equal,
                  "<= 0": np.less_equal}[what]

    def check(x, data=None, summarize=None, message=None, name=None):
        x = convert_to_tensor(x)
        zero = M.zeros_like(x)
        if data is None:
            data = [f"Condition x {what} did not hold element-wise:",
                    f"x ({getattr(x, 'name', 'x')}) = ", x]
        if message is not None:
            data = [message] + list(data)
        if not _fw.executing_eagerly():
            _static_check([_static_value(x)], lambda v: np_compare(v, 0), data, summarize)
        return Assert(M.reduce_all(compare(x, zero)), data, summarize=summarize,
                      name=name or tf_name)
    check.__name__ = tf_name
    check.__doc__ = (f"An ``Assert`` that every element of ``x`` is {what}.\n\n"
                     "    >>> import ndgrad.tf as tf\n"
                     "    >>> with tf.Graph().as_default():\n"
                     f"    ...     op = tf.{tf_name}(tf.placeholder(tf.float32, (2,)))\n"
                     "    ...     print(op.type)\n"
                     "    Assert\n")
    return check


assert_positive = _make_sign(M.greater, "> 0", "assert_positive")
assert_negative = _make_sign(M.less, "< 0", "assert_negative")
assert_non_negative = _make_sign(M.greater_equal, ">= 0", "assert_non_negative")
assert_non_positive = _make_sign(M.less_equal, "<= 0", "assert_non_positive")


def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """Check that ``x`` has rank ``rank``: at build time when the rank is known (a
    ``ValueError``, as TF), else an ``Assert`` on the run's value.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     tf.assert_rank(tf.zeros((2, 3)), 1)
    Traceback (most recent call last):
    ...
    ValueError: Tensor zeros:0 must have rank 1.  Received rank 2, shape (2, 3)
    """
    x = convert_to_tensor(x)
    shape = tuple(x.shape) if _fw.executing_eagerly() else x._shape
    if shape is not None:
        if len(shape) != int(rank):
            pre = f"{message}.  " if message else ""
            raise ValueError(f"{pre}Tensor {getattr(x, 'name', 'x')} must have rank "
                             f"{int(rank)}.  Received rank {len(shape)}, shape {shape}")
        return None if _fw.executing_eagerly() else _no_op(name or "assert_rank")
    if data is None:
        data = [message or "", f"Tensor {x.name} must have rank", int(rank),
                "Received shape: ", M.shape(x)]
    return Assert(M.equal(M.rank(x), int(rank)), data, summarize=summarize,
                  name=name or "assert_rank")


def assert_scalar(tensor, name=None, message=None):
    """``tensor`` itself when it is a scalar, else a ``ValueError`` naming its shape.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.assert_scalar(tf.constant(1.0)).shape)
    ()
    """
    t = convert_to_tensor(tensor)
    shape = tuple(t.shape) if _fw.executing_eagerly() else t._shape
    if shape is None or len(shape) != 0:
        pre = f"{message}  " if message else ""
        raise ValueError(f"{pre}Expected scalar shape for {getattr(t, 'name', 'tensor')}, "
                         f"saw shape: {shape}.")
    return t


def assert_type(tensor, tf_type, message=None, name=None):
    """A ``TypeError`` unless ``tensor`` has dtype ``tf_type`` (a build-time check).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     tf.assert_type(tf.constant(1), tf.float32)
    Traceback (most recent call last):
    ...
    TypeError: Const:0 must be of type float32; got int32
    """
    t = convert_to_tensor(tensor)
    want = np.dtype(_fw.np_dtype(tf_type))
    got = np.dtype(t._np_dtype if isinstance(t, Tensor) else t.dtype)
    if got != want:
        pre = f"{message}  " if message else ""
        raise TypeError(f"{pre}{getattr(t, 'name', 'tensor')} must be of type "
                        f"{want.name}; got {got.name}")
    return None if _fw.executing_eagerly() else _no_op(name or "assert_type")


def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None,
                name=None):
    """An ``Assert`` that ``|x - y| <= atol + rtol * |y|`` element-wise (TF's defaults:
    10 eps of the dtype for both).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, (2,))
    ...     check = tf.assert_near(x, [1.0, 2.0], atol=0.1, rtol=0.0)
    ...     with tf.Session() as s:
    ...         print(s.run(check, {x: [1.05, 2.0]}))
    None
    """
    from .._ops.registry import Array
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=None if isinstance(y, (Tensor, Array)) else x.dtype)
    dt = np.dtype(_fw.np_dtype(x.dtype))
    eps = np.finfo(dt).eps if dt.kind in "fc" else 0
    rtol = 10 * eps if rtol is None else rtol
    atol = 10 * eps if atol is None else atol
    cond = M.reduce_all(M.less_equal(M.abs(x - y), atol + rtol * M.abs(y)))
    if data is None:
        data = [f"x and y not equal to tolerance rtol = {rtol}, atol = {atol}",
                f"x ({getattr(x, 'name', 'x')}) = ", x, f"y ({getattr(y, 'name', 'y')}) = ", y]
    if message is not None:
        data = [message] + list(data)
    if not _fw.executing_eagerly():
        _static_check([_static_value(x), _static_value(y)],
                      lambda a, b: np.abs(a - b) <= atol + rtol * np.abs(b), data, summarize)
    return Assert(cond, data, summarize=summarize, name=name or "assert_near")


def _rank_check(x, ok, what, message, name):
    """A rank condition ``ok(rank)``: checked now when the rank is static (ValueError,
    as TF), else an ``Assert`` on the run's rank."""
    x = convert_to_tensor(x)
    shape = tuple(x.shape) if _fw.executing_eagerly() else x._shape
    pre = f"{message}.  " if message else ""
    if shape is not None:
        if not ok(len(shape)):
            raise ValueError(f"{pre}Tensor {getattr(x, 'name', 'x')} must have rank {what}.  "
                             f"Received rank {len(shape)}, shape {shape}")
        return None if _fw.executing_eagerly() else _no_op(name)
    r = M.rank(x)
    return Assert(ok(r) if not isinstance(ok(r), bool) else M.constant(ok(r)),
                  [f"{pre}Tensor {x.name} must have rank {what}. Received rank:", r],
                  name=name)


def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    """Check that ``x`` has rank ``rank`` or more (now when static, else in the run).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.assert_rank_at_least(tf.zeros((2, 3)), 1).type)
    NoOp
    """
    k = int(rank)
    return _rank_check(x, lambda r: r >= k, f"at least {k}", message,
                       name or "assert_rank_at_least")


def assert_rank_in(x, ranks, data=None, summarize=None, message=None, name=None):
    """Check that ``x``'s rank is one of ``ranks`` (now when static, else in the run).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.assert_rank_in(tf.zeros((2, 3)), [1, 2]).type)
    NoOp
    """
    ks = [int(r) for r in ranks]

    def ok(r):
        if isinstance(r, int):
            return r in ks
        out = M.equal(r, ks[0])
        for k in ks[1:]:
            out = M.logical_or(out, M.equal(r, k))
        return out
    return _rank_check(x, ok, f"in {ks}", message, name or "assert_rank_in")


def assert_integer(x, message=None, name=None):
    """A ``TypeError`` unless ``x`` has an integer dtype (a build-time check).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     tf.assert_integer(tf.constant(1.0))
    Traceback (most recent call last):
    ...
    TypeError: Expected integer type for Const:0, got float32
    """
    t = convert_to_tensor(x)
    dt = np.dtype(_fw.np_dtype(t.dtype))
    if dt.kind not in "iu":
        pre = f"{message}  " if message else ""
        raise TypeError(f"{pre}Expected integer type for {getattr(t, 'name', 'tensor')}, "
                        f"got {dt.name}")
    return None if _fw.executing_eagerly() else _no_op(name or "assert_integer")


def _monotone(x, strict, name):
    """Whether flattened ``x`` increases (``strict``) or never decreases, each element
    compared with the one before it. TF compares ``x[1:] - x[:-1]`` with 0, and that
    difference wraps for unsigned and overflowing integers (uint8 ``[3, 2, 1]`` and int8
    ``[-100, 100]`` come out wrong) and is NaN for two equal infinities: the elements are
    compared here instead, which gives the true answer in those cases and TF's in all
    others (a NaN compares false either way)."""
    x = convert_to_tensor(x)
    _op_dtypes.check("is_strictly_increasing" if strict else "is_non_decreasing",
                     M._dt(x))
    flat = M.reshape(x, [-1])
    after, before = flat[1:], flat[:-1]
    return M.reduce_all(M.greater(after, before) if strict else
                        M.greater_equal(after, before), name=name)


def is_non_decreasing(x, name=None):
    """True when ``x`` (flattened) never decreases; an empty or one-element ``x`` is.

    >>> import ndgrad.tf as tf
    >>> print(tf.Session().run(tf.is_non_decreasing([1, 1, 2])))
    True
    """
    return _monotone(x, False, name or "is_non_decreasing")


def is_strictly_increasing(x, name=None):
    """True when ``x`` (flattened) increases at every step.

    >>> import ndgrad.tf as tf
    >>> print(tf.Session().run(tf.is_strictly_increasing([1, 1, 2])))
    False
    """
    return _monotone(x, True, name or "is_strictly_increasing")


def ensure_shape(x, shape, name=None):
    """``x`` with static shape ``shape`` (None dims free): a known shape that does not fit
    is a ValueError now; a value of another shape fails the run (InvalidArgumentError).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     p = tf.placeholder(tf.float32, None)
    ...     print(tf.ensure_shape(p, [None, 3]).shape)
    (?, 3)
    """
    from ..graph.shape import as_shape
    want = as_shape(shape).as_tuple()
    t = convert_to_tensor(x)

    def fits(s):
        return want is None or (len(s) == len(want) and all(
            w is None or w == d for w, d in zip(want, s)))
    if _fw.executing_eagerly():
        if not fits(tuple(t.shape)):
            raise errors.InvalidArgumentError(
                None, None, f"Shape of tensor {tuple(t.shape)} is not compatible with "
                f"expected shape {want}.")
        return t
    have = t._shape
    if have is not None and want is not None and (len(have) != len(want) or any(
            a is not None and b is not None and a != b for a, b in zip(have, want))):
        raise ValueError(f"ensure_shape: {t.name} has shape {have}, not compatible with "
                         f"{want}")
    merged = want if have is None else have if want is None else tuple(
        a if a is not None else b for a, b in zip(have, want))

    def fn(ctx, v):
        if not fits(np.shape(v)):
            raise errors.InvalidArgumentError(
                None, op, f"Shape of tensor {t.name} {list(np.shape(v))} is not compatible "
                f"with expected shape {list(want)}.")
        return v
    op = t.graph.special_op("EnsureShape", name or "EnsureShape", (t,), fn,
                            [(merged, t._np_dtype)],
                            attrs={"grad": lambda gouts: [gouts[0]]})
    return op.outputs[0]


def _no_op(name):
    from .state_ops import no_op
    return no_op(name=name)


def check_numerics(tensor, message, name=None):
    """``tensor`` unchanged when it holds no NaN or Inf; else the run fails
    (``InvalidArgumentError``: "<message> : Tensor had NaN values"). Its gradient is
    checked the same way, as TF's.

    >>> import numpy as np, ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, (2,))
    ...     y = tf.check_numerics(tf.log(x), "log(x)")
    ...     with tf.Session() as s:
    ...         print(s.run(y, {x: [1.0, 1.0]}))
    ...         try:
    ...             s.run(y, {x: [1.0, -1.0]})
    ...         except tf.errors.InvalidArgumentError as e:
    ...             print(e.message)
    [0. 0.]
    log(x) : Tensor had NaN values
    """
    def check(v, where):
        a = np.asarray(v)
        if a.dtype.kind in "fc":
            if np.isnan(a).any():
                raise errors.InvalidArgumentError(
                    None, where, f"{message} : Tensor had NaN values")
            if np.isinf(a).any():
                raise errors.InvalidArgumentError(
                    None, where, f"{message} : Tensor had Inf values")
        return v

    t = convert_to_tensor(tensor)
    if _fw.executing_eagerly():
        check(_fw.eager_values(t), None)
        return t
    if t._np_dtype.kind not in "fc":
        raise TypeError(f"check_numerics: {t.name} must be a floating tensor; got "
                        f"{t._np_dtype}")

    def grad(gouts):
        if gouts[0] is None:
            return [None]
        return [check_numerics(gouts[0], "Not a number (NaN) or infinity (Inf) values "
                               "detected in gradient. " + message)]

    op = t.graph.special_op("CheckNumerics", name or "CheckNumerics", (t,),
                            lambda ctx, v: check(v, op), [(t._shape, t._np_dtype)],
                            attrs={"grad": grad})
    return op.outputs[0]


def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """``check_numerics(t, msg)`` (TF1's name for it; ``x`` and ``message`` are TF's
    aliases of ``t`` and ``msg``).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.verify_tensor_all_finite(tf.constant(1.0), "x")))
    1.0
    """
    return assert_all_finite(t, msg, name=name, x=x, message=message)


# -- assert_proper_iterable, assert_all_finite, assert_shapes ------------------------------
def assert_proper_iterable(values):
    """A ``TypeError`` unless ``values`` is an iterable other than a tensor, a NumPy
    array or a string (TF's check for arguments that take a list of tensors).

    >>> import ndgrad.tf as tf
    >>> tf.assert_proper_iterable([tf.constant(1)])
    >>> tf.assert_proper_iterable(tf.constant([1, 2]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: Expected argument "values" to be a "proper" iterable.  Found: <class '...'>
    """
    from .._ops.registry import Array
    from .sparse_tensor import SparseTensor
    unintentional = (Tensor, Array, SparseTensor, np.ndarray, np.generic, str, bytes)
    if isinstance(values, unintentional):
        raise TypeError('Expected argument "values" to be a "proper" iterable.  Found: '
                        f"{type(values)}")
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def assert_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """TF 1's ``tf.debugging.assert_all_finite`` (``verify_tensor_all_finite``): the
    tensor (``t`` or ``x``) unchanged when it holds no NaN or Inf, else the run fails
    with ``msg`` (or ``message``).

    >>> import numpy as np, ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     try:
    ...         s.run(tf.debugging.assert_all_finite(tf.constant([1.0, np.inf]), "bad"))
    ...     except tf.errors.InvalidArgumentError as e:
    ...         print(e.message)
    bad : Tensor had Inf values
    """
    if t is not None and x is not None:
        raise ValueError("Cannot specify both 'x' and 't'")
    if msg is not None and message is not None:
        raise ValueError("Cannot specify both 'message' and 'msg'")
    t = x if t is None else t
    msg = message if msg is None else msg
    return check_numerics(t, msg, name=name)


def _assert_shapes_name(t):
    if _fw.executing_eagerly():
        return f"shape={tuple(t.shape)} dtype={_fw.np_dtype(t.dtype).name}"
    return t.name


def _known_int(v):
    if v is None or isinstance(v, Tensor):
        return False
    try:
        int(v)
        return True
    except (ValueError, TypeError):
        return False


def _dimension_sizes(t):
    """Each dimension's size, an int when known while building, else a scalar tensor; a
    scalar counts as one dimension of size 1 (TF's ``_dimension_sizes``)."""
    shape = tuple(t.shape) if _fw.executing_eagerly() else t._shape
    if shape is not None and len(shape) == 0:
        return (1,)
    dyn = M.shape(t)
    if shape is not None:
        return [int(d) if d is not None else dyn[i] for i, d in enumerate(shape)]
    from .control_flow import cond
    return cond(M.equal(M.rank(t), 0), lambda: M.constant([1]), lambda: dyn)


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Check tensors' shapes against symbolic ones: ``shapes`` pairs each tensor with an
    iterable of sizes (``(t, ("N", 3))``, ``(t, "N3")``, or a dict), where an int or
    digit is that size, a name stands for one size shared by every tensor that uses it,
    ``None`` or ``'.'`` for any size, and a leading ``...`` or ``'*'`` for any number of
    leading dimensions; a scalar counts as shape ``(1,)``. What is known while building
    is checked then (``ValueError``); the rest in the run (``InvalidArgumentError``).
    Returns the op grouping the checks (None in eager mode).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.ones([3, 2], name="x")
    ...     y = tf.ones([2, 3], name="y")
    ...     tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("N", "D"))])
    Traceback (most recent call last):
    ...
    ValueError: Specified by tensor x:0 dimension 0.  Tensor y:0 dimension 0 must have size 3.  Received size 2, shape (2, 3)
    """
    from .state_ops import control_dependencies, group
    if isinstance(shapes, dict):
        shapes = shapes.items()
    prefix = f"{message}.  " if message else ""
    eager = _fw.executing_eagerly()
    scope = contextlib.nullcontext() if eager else _fw.name_scope(name, "assert_shapes")
    with scope:
        constraints = [(convert_to_tensor(x), s) for x, s in shapes if s is not None]
        dims = []
        for t, sym in constraints:
            if not (hasattr(sym, "__iter__") or hasattr(sym, "__getitem__")):
                raise ValueError(f"{prefix}Tensor {_assert_shapes_name(t)}.  Specified shape "
                                 "must be an iterable.  An iterable has the attribute "
                                 "`__iter__` or `__getitem__`.  Received specified shape: "
                                 f"{sym}")
            sym = tuple(sym)
            innermost = False
            for i, s in enumerate(sym):
                if not _is_ellipsis(s):
                    continue
                if i != 0:
                    raise ValueError(f"{prefix}Tensor {_assert_shapes_name(t)} specified "
                                     f"shape index {i}.  Symbol `...` or `*` for a variable "
                                     "number of unspecified dimensions is only allowed as "
                                     "the first entry")
                innermost = True
            sizes = sym[1:] if innermost else sym
            dims.append((t, innermost, _dimension_sizes(t), sizes or (1,)))

        rank_checks = []
        for t, innermost, _, sizes in dims:
            rank = len(sizes)
            if innermost:
                if rank in (0, 1):
                    continue
                a = assert_rank_at_least(t, rank, data=data, summarize=summarize,
                                         message=message, name=name)
            elif rank in (0, 1):
                a = assert_rank_in(t, [0, 1], data=data, summarize=summarize,
                                   message=message, name=name)
            else:
                a = assert_rank(t, rank, data=data, summarize=summarize, message=message,
                                name=name)
            rank_checks.append(a)
        rank_checks = [a for a in rank_checks if a is not None]

        size_checks = []
        specified = {}
        for t, innermost, actual, sizes in dims:
            for i, sym in enumerate(sizes):
                if sym is None or _is_any(sym):
                    continue
                dim = i - len(sizes) if innermost else i
                if sym in specified or _known_int(sym):
                    if _known_int(sym):
                        want, how = int(sym), "Specified explicitly"
                    else:
                        want, by, at = specified[sym]
                        how = f"Specified by tensor {_assert_shapes_name(by)} dimension {at}"
                    with _deps(control_dependencies, rank_checks, eager):
                        got = actual[dim]
                    if _known_int(got) and _known_int(want):
                        if int(got) != int(want):
                            shape = tuple(t.shape) if eager else t.shape
                            raise ValueError(f"{prefix}{how}.  Tensor "
                                             f"{_assert_shapes_name(t)} dimension {dim} must "
                                             f"have size {int(want)}.  Received size "
                                             f"{int(got)}, shape {shape}")
                        continue
                    d = data if data is not None else [
                        prefix, how, f"Tensor {_assert_shapes_name(t)} dimension", dim,
                        "must have size", want, "Received shape: ", M.shape(t)]
                    size_checks.append(Assert(M.equal(convert_to_tensor(got),
                                                      convert_to_tensor(want)),
                                              d, summarize=summarize))
                else:
                    with _deps(control_dependencies, rank_checks, eager):
                        got = actual[dim]
                    specified[sym] = (got, t, dim)
    if eager:
        return None
    with control_dependencies(rank_checks):
        return group(*[a for a in size_checks if a is not None])


def _deps(control_dependencies, ops, eager):
    return contextlib.nullcontext() if eager or not ops else control_dependencies(ops)


def _is_ellipsis(s):
    return s is Ellipsis or (isinstance(s, (str, np.str_)) and s == "*")


def _is_any(s):
    return isinstance(s, (str, np.str_)) and s == "."


__all__ += ["assert_proper_iterable", "assert_all_finite", "assert_shapes"]

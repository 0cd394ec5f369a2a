"""Random numbers, as TF's ``random_ops`` and ``random_seed``: the graph- and op-level
seeds, ``random_normal``/``truncated_normal``/``random_uniform``, ``multinomial``/
``categorical`` and ``random_shuffle``."""
from __future__ import annotations


import numpy as np

from ..graph.stdns import std as _nd
from ..graph.core import Tensor, get_default_graph
from . import framework as _fw
from .framework import convert_to_tensor, np_dtype

__all__ = []


def _export(f):
    __all__.append(f.__name__)
    return f


# -- random numbers --------------------------------------------------------------------
_DEFAULT_GRAPH_SEED = 87654321
_eager_rng = {"rng": np.random.default_rng()}


@_export
def set_random_seed(seed):
    """The graph-level seed: with it, every new Session replays the same random values.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     tf.set_random_seed(1)
    ...     r = tf.random_uniform([3])
    ...     a, b = tf.Session().run(r), tf.Session().run(r)
    >>> bool((a == b).all())
    True
    """
    if _fw.executing_eagerly():
        _eager_rng["rng"] = np.random.default_rng(seed)
        return
    get_default_graph().seed = seed


def _seeds(g, op_seed):
    if g.seed is not None:
        return [g.seed, op_seed if op_seed is not None else len(g._ops)]
    if op_seed is not None:
        return [_DEFAULT_GRAPH_SEED, op_seed]
    return None


def _random(type_, draw, shape, dtype, seed, name):
    dt = np_dtype(dtype)
    shape_t = static = None
    if isinstance(shape, Tensor) and shape._op._kind == "const":
        shape = shape._op._attrs["value"].tolist()
    elif isinstance(shape, Tensor) or (isinstance(shape, (list, tuple)) and any(
            isinstance(_fw._unref(s), Tensor) for s in shape)):
        # a shape known at run time (a tensor, or a list holding tensors), with the
        # static shape the graph determines (TF's partial evaluation)
        from .math_ops import _shape_tensor
        shape_t, static = _shape_tensor(shape)
    if shape_t is None:
        shp = tuple(int(s) for s in (shape.as_list() if hasattr(shape, "as_list") else
                                     ([shape] if isinstance(shape, int) else shape)))
    if _fw.executing_eagerly():
        rng = _eager_rng["rng"] if seed is None else np.random.default_rng(seed)
        return _nd.asarray(draw(rng, shp, dt))
    g = get_default_graph()
    seeds = _seeds(g, seed)
    if shape_t is not None:
        n = shape_t._shape[0] if shape_t._shape else None

        def fn_dyn(ctx, s):
            return draw(ctx.session.rng(op, seeds), tuple(int(v) for v in s), dt)
        op = g.special_op(type_, type_, (shape_t,), fn_dyn,
                          [(static if static is not None else None if n is None else
                            (None,) * n, dt)], attrs={"seed": seeds})
        return op.outputs[0]

    def fn(ctx):
        return draw(ctx.session.rng(op, seeds), shp, dt)
    op = g.special_op(type_, type_, (), fn, [(shp, dt)], attrs={"seed": seeds})
    return op.outputs[0]


def _normal(rng, shape, dt):
    return rng.standard_normal(shape).astype(dt)


def _truncated(rng, shape, dt):
    out = rng.standard_normal(shape)
    bad = np.abs(out) > 2
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2
    return out.astype(dt)


def _uniform(rng, shape, dt):
    # [0, 1) in dt: a float64 draw just below 1 rounds to 1 in float16/float32
    u = rng.random(shape).astype(dt)
    dt = np.dtype(dt)
    if dt.kind == "f":
        u = np.minimum(u, np.nextafter(dt.type(1), dt.type(0)))
    return u


def _scaled(name, type_, draw, shape, mean, stddev, dtype, seed):
    from . import math_ops
    dt = np_dtype(dtype)

    def f():
        base = _random(type_, draw, shape, dt, seed, None)
        s = convert_to_tensor(stddev, dtype=dt, name="stddev")
        m = convert_to_tensor(mean, dtype=dt, name="mean")
        return math_ops.add(math_ops.multiply(base, s, name="mul"), m)
    return _fw.build(name, {"RandomStandardNormal": "random_normal",
                            "TruncatedNormal": "truncated_normal"}[type_], f)


@_export
def random_normal(shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None, name=None):
    """Normal random values (a fresh draw each run; replayed per session with a seed).

    >>> import ndgrad.tf as tf
    >>> x = tf.Session().run(tf.random_normal([2, 3], mean=10.0, stddev=0.5, seed=1))
    >>> x.shape, x.dtype, bool((abs(x - 10) < 5).all())
    ((2, 3), dtype('float32'), True)
    """
    return _scaled(name, "RandomStandardNormal", _normal, shape, mean, stddev, dtype, seed)


@_export
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None, name=None):
    """Normal values redrawn beyond two standard deviations.

    >>> import ndgrad.tf as tf
    >>> x = tf.Session().run(tf.truncated_normal([1000], stddev=2.0, dtype=tf.float64, seed=1))
    >>> x.dtype, bool((abs(x) <= 4).all())
    (dtype('float64'), True)
    """
    return _scaled(name, "TruncatedNormal", _truncated, shape, mean, stddev, dtype, seed)


@_export
def random_uniform(shape, minval=0, maxval=None, dtype=np.float32, seed=None, name=None):
    """Uniform random values in ``[minval, maxval)`` (maxval 1 for floats).

    >>> import ndgrad.tf as tf
    >>> x = tf.Session().run(tf.random_uniform([2, 2], minval=5, maxval=10, dtype=tf.int32,
    ...                                        seed=1))
    >>> x.shape, x.dtype, bool(((x >= 5) & (x < 10)).all())
    ((2, 2), dtype('int32'), True)
    """
    from . import math_ops
    dt = np_dtype(dtype)
    if dt.kind in "iu":
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dt.name}")
        lo, hi = int(minval), int(maxval)

        def draw(rng, shape, d):
            return rng.integers(lo, hi, size=shape).astype(d)
        return _fw.build(name, "random_uniform",
                         lambda: _random("RandomUniformInt", draw, shape, dt, seed, None))
    if maxval is None:
        maxval = 1.0

    def f():
        base = _random("RandomUniform", _uniform, shape, dt, seed, None)
        lo = convert_to_tensor(minval, dtype=dt, name="min")
        hi = convert_to_tensor(maxval, dtype=dt, name="max")
        return math_ops.add(math_ops.multiply(base, math_ops.subtract(hi, lo, name="sub"),
                                              name="mul"), lo)
    return _fw.build(name, "random_uniform", f)


def _draw_categorical(rng, logits, num_samples, dt):
    logits = np.asarray(logits, np.float64)
    if logits.ndim != 2:
        raise ValueError(f"logits should be a matrix, got shape {logits.shape}")
    if logits.shape[1] == 0 and num_samples > 0:
        raise ValueError("Multinomial: number of classes must be positive, got logits of "
                         f"shape {logits.shape}")
    out = np.empty((logits.shape[0], num_samples), dt)
    for b, row in enumerate(logits):
        m = np.max(row)
        if not np.isfinite(m):
            raise ValueError(f"Multinomial: logits row {b} has no finite maximum: {row}")
        p = np.exp(row - m)
        p /= p.sum()
        out[b] = rng.choice(len(row), size=num_samples, p=p)
    return out


@_export
def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """``num_samples`` class indices per row of the (batch, classes) ``logits`` (each
    class drawn with probability ``softmax(logits)``): shape (batch, num_samples), int64
    unless ``output_dtype``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> s = tf.multinomial(tf.log([[0.0, 1.0]]), 5, seed=1)
    >>> tf.Session().run(s)
    array([[1, 1, 1, 1, 1]])
    """
    dt = np_dtype(output_dtype) if output_dtype is not None else np.dtype(np.int64)
    n = int(num_samples)
    if _fw.executing_eagerly():
        rng = _eager_rng["rng"] if seed is None else np.random.default_rng(seed)
        return _nd.asarray(_draw_categorical(rng, _fw.eager_values(logits), n, dt))

    def f():
        t = convert_to_tensor(logits)
        if t._shape is not None and len(t._shape) != 2:
            raise ValueError(f"logits should be a matrix, got shape {t.shape}")
        g = get_default_graph()
        seeds = _seeds(g, seed)

        def fn(ctx, v):
            return _draw_categorical(ctx.session.rng(op, seeds), v, n, dt)
        batch = None if t._shape is None else t._shape[0]
        op = g.special_op("Multinomial", "Multinomial", (t,), fn, [((batch, n), dt)],
                          attrs={"seed": seeds})
        return op.outputs[0]
    return _fw.build(name, "multinomial", f, graph_args=(logits,))


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``tf.random.categorical``: ``tf.multinomial`` with ``dtype`` for the result.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.random.categorical(tf.log([[0.0, 1.0], [1.0, 0.0]]), 3,
    ...                                        dtype=tf.int32))
    array([[1, 1, 1],
           [0, 0, 0]], dtype=int32)
    """
    return _fw.build(name, "categorical", lambda: multinomial(logits, num_samples, seed,
                                                               None, dtype))


@_export
def random_shuffle(value, seed=None, name=None):
    """``value`` with its slices along the first axis in a random order.

    >>> import ndgrad.tf as tf
    >>> x = tf.Session().run(tf.random_shuffle([[1, 2], [3, 4], [5, 6]]))
    >>> x.shape, sorted(x.tolist())
    ((3, 2), [[1, 2], [3, 4], [5, 6]])
    """
    t = convert_to_tensor(value)
    g = get_default_graph()
    seeds = _seeds(g, seed)

    def fn(ctx, v):
        return ctx.session.rng(op, seeds).permutation(v)
    op = g.special_op("RandomShuffle", name or "RandomShuffle", (t,), fn,
                      [(t._shape, t._np_dtype)])
    return op.outputs[0]

"""``tf.custom_gradient``: a function that gives its own gradient, in graph and eager mode."""
from __future__ import annotations

import functools
import inspect

import numpy as np

from .._ops import registry as _registry
from .._ops.registry import grad_state
from ..graph.core import get_default_graph
from . import framework as _fw
from . import math_ops as M
from .framework import convert_to_tensor

__all__ = ["custom_gradient"]


def custom_gradient(f=None):
    """Decorate ``f(*x) -> (y, grad_fn)``: ``y`` is the value (a tensor or a list/tuple
    of them) and ``grad_fn(*dy)`` returns the gradients for the ``x`` (one each, or
    None), as TF's ``tf.custom_gradient``: gradients of ``y`` reach the ``x`` only through
    ``grad_fn``, never through the ops ``f`` used to compute ``y``.

    Where ``f`` reads trainable variables (graph mode), ``grad_fn`` must take a keyword
    argument ``variables`` and return ``(grads for x, grads for those variables)`` (TF's
    TypeError otherwise). Complex values follow TF's convention (``tf.gradients``'s).

    >>> import ndgrad.tf as tf
    >>> @tf.custom_gradient
    ... def clip_gradient(x):
    ...     def grad(dy):
    ...         return tf.clip_by_value(dy, -0.5, 0.5)
    ...     return tf.identity(x), grad
    >>> x = tf.constant([1.0, 2.0])
    >>> g, = tf.gradients(tf.reduce_sum(clip_gradient(x) * [3.0, 0.25]), x)
    >>> tf.Session().run(g)
    array([0.5 , 0.25], dtype=float32)
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        if _fw.executing_eagerly():
            return _eager(f, args, kwargs)
        return _graph(f, args, kwargs)
    return decorated


def _flat(result):
    if isinstance(result, (list, tuple)):
        return [convert_to_tensor(r) for r in result], type(result)
    return [convert_to_tensor(result)], None


def _variables_parameter(grad_fn):
    """How ``grad_fn`` takes ``variables``: "named", "kwargs" (``**kwargs``), None, or
    "unknown" (no signature to read)."""
    try:
        params = inspect.signature(grad_fn).parameters.values()
    except (TypeError, ValueError):
        return "unknown"
    if any(p.name == "variables" for p in params):
        return "named"
    return "kwargs" if any(p.kind is p.VAR_KEYWORD for p in params) else None


def _tf_convention(t):
    """ndgrad's cotangents conjugated for a complex value (TF's convention), and back."""
    return M.conj(t) if t is not None and np.dtype(M._dt(t)).kind == "c" else t


def _call_grad_fn(grad_fn, dys, n_args, variables):
    dys = [_tf_convention(d) for d in dys]
    if variables:
        res = grad_fn(*dys, variables=variables)
        if not (isinstance(res, (list, tuple)) and len(res) == 2):
            raise ValueError("custom_gradient: with variables, grad_fn must return "
                             "(gradients for the inputs, gradients for the variables)")
        in_grads, var_grads = res
        var_grads = list(var_grads)
    else:
        in_grads, var_grads = grad_fn(*dys), []
    in_grads = list(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
    if len(in_grads) != n_args:
        raise ValueError(f"custom_gradient function expected to return {n_args} gradients, "
                         f"but returned {len(in_grads)} instead.")
    if len(var_grads) != len(variables):
        raise ValueError(f"custom_gradient: grad_fn returned {len(var_grads)} variable "
                         f"gradients for {len(variables)} variables")
    return [None if g is None else _tf_convention(convert_to_tensor(g))
            for g in in_grads + var_grads]


def _graph(f, args, kwargs):
    from .variables import Variable
    g = get_default_graph()
    xs = [convert_to_tensor(a) for a in args]
    start = len(g._ops)
    result, grad_fn = f(*xs, **kwargs)
    ys, kind = _flat(result)
    # the trainable variables f's ops read (TF's get_dependent_variables)
    trainable = {id(v) for v in g.get_collection("trainable_variables")}
    variables, seen = [], set()
    for op in g._ops[start:]:
        for a in op._args:
            # (a variable passed as an input is an input, not a variable f reads)
            if isinstance(a, Variable) and id(a) in trainable and id(a) not in seen \
                    and not any(a is x for x in xs):
                seen.add(id(a))
                variables.append(a)
    if variables and _variables_parameter(grad_fn) is None:
        raise TypeError("If using @custom_gradient with a function that uses variables, "
                        "then grad_fn must accept a keyword argument 'variables'.")
    n = len(ys)

    def grad(gouts):
        dys = [d if d is not None else M.zeros_like(y) for d, y in zip(gouts, ys)]
        return _call_grad_fn(grad_fn, dys, len(xs), variables) + [None] * n

    def fn(ctx, *vals):
        return vals[-1] if n == 1 else tuple(vals[-n:])
    op = g.special_op("IdentityN", "IdentityN", tuple(xs) + tuple(variables) + tuple(ys), fn,
                      [(y._shape, y._np_dtype) for y in ys], attrs={"grad": grad})
    outs = list(op.outputs)
    return outs[0] if kind is None else kind(outs)


def _eager(f, args, kwargs):
    from .._autograd.custom_vjp import custom_vjp
    import ndgrad as _nd
    xs = [convert_to_tensor(a) for a in args]
    if not grad_state.enabled or not any(
            isinstance(x, _registry.Array) and x._node is not None for x in xs):
        result, _ = f(*xs, **kwargs)
        return result
    box = {}

    def value(*a):
        return box["y"]

    def fwd(*a):
        # (unrecorded for the value; run again recorded by custom_vjp when a gradient of
        # the gradient is recorded: TF 2.15 records f's ops, so grad_fn's use of f's
        # intermediates -- log1pexp's e = exp(x) -- is differentiable)
        result, grad_fn = f(*a, **kwargs)
        if _variables_parameter(grad_fn) == "named":
            raise TypeError("tf.custom_gradient with variables is supported in graph mode "
                            "only")
        kind = type(result) if isinstance(result, (list, tuple)) else None
        ys = [convert_to_tensor(r) for r in result] if kind else [convert_to_tensor(result)]
        box["kind"], box["shapes"] = kind, [tuple(y.shape) for y in ys]
        if kind and len({np.dtype(y.dtype) for y in ys}) > 1:
            raise TypeError("tf.custom_gradient in eager mode: the outputs must share one "
                            f"dtype, got {[np.dtype(y.dtype).name for y in ys]}")
        # several outputs travel as one flat vector (one recorded op), split afterwards;
        # the rule gets each output's cotangent back in its shape
        box["y"] = ys[0] if not kind else _nd.concat([_nd.reshape(y, (-1,)) for y in ys])
        return box["y"], grad_fn

    def bwd(grad_fn, g):
        if not box["kind"]:
            return tuple(_call_grad_fn(grad_fn, [g], len(xs), []))
        return tuple(_call_grad_fn(grad_fn, _split(g, box["shapes"]), len(xs), []))
    op = custom_vjp(value)
    op.defvjp(fwd, bwd)
    out = op(*xs)
    if not box["kind"]:
        return out
    return box["kind"](_split(out, box["shapes"]))


def _split(flat, shapes):
    """``flat`` (a 1-d array) cut into arrays of ``shapes``, in order."""
    import ndgrad as _nd
    out, start = [], 0
    for shp in shapes:
        n = int(np.prod(shp, dtype=np.int64))
        out.append(_nd.reshape(flat[start:start + n], shp))
        start += n
    return out

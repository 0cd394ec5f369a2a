"""Symbolic gradients: ``gradients(ys, xs)`` builds the backward pass as more graph.

It walks the graph from ``ys`` back to ``xs`` and calls each registry op's own gradient
rule with ``xp = ndgrad`` on symbolic tensors -- the rules of eager mode, recording graph
nodes instead of computing. Broadcasting is undone here (the one place, as in eager
backward), with a runtime-shape op where static shapes have unknown dims.
"""
from __future__ import annotations

import weakref

import numpy as np

from .core import Tensor, ancestors, gradient_mode
from . import dynamic

__all__ = ["gradients", "SPARSE_ROWS_RULES", "sparse_rows", "sparse_slices"]

# Ops whose cotangent for their first input is zero but on some rows (a gather along axis
# 0): ``{op: rows(args, params) -> the row indices tensor, or None}``, filled by the layers
# that define such ops. A gradient made only of such terms is dense with the rows noted
# (``sparse_rows``): an optimizer that updates only the rows a step touched (TensorFlow's
# sparse updates of embeddings) reads them; every other consumer sees the dense tensor.
SPARSE_ROWS_RULES: dict = {}
# Ops a sparse cotangent passes through unchanged but for its values (identity, a cast):
# ``{op: values(v, x) -> the slice values for input x}``. A gather of ``identity(E)`` or
# of ``cast(E)`` is still a sparse term of ``E`` (TF's gradient there is an IndexedSlices;
# a dense term made Momentum and Ftrl move rows the step never touched).
SPARSE_PASSTHROUGH_RULES: dict = {}
_SPARSE_ROWS = weakref.WeakKeyDictionary()   # gradient tensor -> its rows (int, 1-d)


def _cast_slices(v, x):
    from .stdns import std as nd
    return v if v._np_dtype == x._np_dtype else nd.astype(v, x._np_dtype)


def _register_cast():
    from .._ops.dtype_functions import _astype_op
    SPARSE_PASSTHROUGH_RULES[_astype_op] = _cast_slices


_register_cast()


def sparse_rows(grad):
    """The row indices (a 1-d integer tensor, repeats possible) outside which gradient
    ``grad`` (a tensor ``gradients`` returned) is zero by construction, or None: a
    gradient that reached its input only through gathers of its rows."""
    return _SPARSE_ROWS.get(grad) if isinstance(grad, Tensor) else None


_SPARSE_SLICES = weakref.WeakKeyDictionary()   # gradient tensor -> (values terms, rows)


def sparse_slices(grad):
    """``(values, rows)`` of a gradient ``gradients`` made only of gathers' cotangents
    along axis 0 (TF's IndexedSlices), or None: ``values`` is the list of the gathers'
    output cotangents (each of shape ``indices.shape + x.shape[1:]``, in the order of
    ``rows``, the concatenated flat indices), so that ``grad`` is their scatter-add into
    zeros. An optimizer may update the rows from them without the dense tensor."""
    return _SPARSE_SLICES.get(grad) if isinstance(grad, Tensor) else None


def note_sparse_slices(grad, values, rows):
    """Mark ``grad`` as the scatter-add of the slices ``values`` (a list of tensors, in
    the order of ``rows``) into zeros (see ``sparse_slices``)."""
    _SPARSE_SLICES[grad] = (list(values), rows)
    _SPARSE_ROWS[grad] = rows


def note_sparse_rows(grad, rows):
    """Mark ``grad`` (a tensor made from a sparse gradient without mixing in other
    terms: its conjugate, say) as zero outside ``rows``."""
    if rows is not None:
        _SPARSE_ROWS[grad] = rows


def _as_list(x):
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _tensor(x):
    conv = getattr(x, "_as_graph_element", None)
    return conv() if conv is not None else x


def _fit(nd, gi, x, several=False):
    """Cotangent ``gi`` brought to input ``x``'s shape and dtype. ``several``: the op
    has more than one tensor input, so it may have broadcast ``x``: equal static shapes
    with an unknown dimension ((None, 4) and (None, 4)) prove nothing then (a (1, 4) value
    meets a (5, 4) one at run time), and the sum down to ``x``'s shape is done at run
    time (a cotangent left at (5, 4) failed in a later rule, or reached a variable)."""
    gs, xs = gi._shape, x._shape
    if gs is None or xs is None or gs != xs or (several and None in gs):
        if gs is not None and xs is not None and None not in gs and None not in xs:
            gi = dynamic.unbroadcast_to(gi, xs)
        else:
            gi = dynamic.unbroadcast_like(nd, gi, x)
    if gi._np_dtype != x._np_dtype:
        gi = nd.astype(gi, x._np_dtype)
    return gi


def _add_all(terms):
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def _ones_for(nd, y):
    if y._shape is not None and None not in y._shape:
        return y.graph.constant(np.ones(y._shape, dtype=y._np_dtype), name="grad_ys")
    return dynamic.ones_like(y)


def gradients(ys, xs, grad_ys=None, name="gradients", stop_gradients=None, only_ops=None):
    """Symbolic d(sum of ys)/d(x) for each x in ``xs``: a list with None for an x that
    ``ys`` do not depend on. ``only_ops``: the gradient goes through these ops alone
    (a graph-mode tape's recorded ops); None: through every op."""
    from .stdns import std as nd
    ys = [_tensor(y) for y in _as_list(ys)]
    xs = [_tensor(x) for x in _as_list(xs)]
    for t in ys + xs:
        if not isinstance(t, Tensor):
            raise TypeError(f"gradients: expected symbolic tensors, got {t!r}")
    graph = ys[0].graph
    if grad_ys is None:
        grad_ys = [None] * len(ys)
    else:
        grad_ys = _as_list(grad_ys)
        if len(grad_ys) != len(ys):
            raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    stops = set(_tensor(s) for s in _as_list(stop_gradients)) if stop_gradients else set()

    # ops that ys depend on
    back = ancestors([y._op for y in ys])
    index = {op: i for i, op in enumerate(graph._ops) if op in back}
    ordered = sorted(back, key=index.__getitem__)
    # ... and that depend on xs
    reach = set(xs)
    between = []
    for op in ordered:
        if only_ops is not None and op not in only_ops:
            continue
        if any(isinstance(a, Tensor) and a in reach for a in op._args):
            between.append(op)
            # (an op without a gradient rule -- stop_gradient, comparisons -- passes no
            # cotangent on: its outputs do not carry the xs' gradient)
            if (op._kind == "op" and op._op.vjp is not None) or "grad" in op._attrs:
                reach.update(op.outputs)
    grads = {}
    rows = {}        # tensor -> per gradient term: its rows (sparse_rows) or None (dense)
    values = {}      # tensor -> per gradient term: a sparse term's values (sparse_slices)
    grad_ys_of = set(ys)   # (a y's own cotangent is dense: it is not a sparse term)
    with graph.name_scope(name), gradient_mode():
        for y, gy in zip(ys, grad_ys):
            if gy is None:
                gy = _ones_for(nd, y)
            elif not isinstance(_tensor(gy), Tensor):
                gy = graph.constant(np.asarray(gy, dtype=y._np_dtype), name="grad_ys")
            gs, ysh = _tensor(gy)._shape, y._shape
            if gs is not None and ysh is not None and (len(gs) != len(ysh) or any(
                    a is not None and b is not None and a != b for a, b in zip(gs, ysh))):
                # (TF's ValueError; it was broadcast: a (2,) grad_ys of a scalar loss
                # trained with the sum of its entries)
                raise ValueError(f"grad_ys has shape {list(gs)}, incompatible with the shape "
                                 f"{list(ysh)} of the tensor it is the gradient of ({y.name})")
            grads.setdefault(y, []).append(_tensor(gy))
        for op in reversed(between):
            custom = op._attrs.get("grad") if op._kind != "op" else None
            if custom is None and (op._kind != "op" or op._op.vjp is None):
                continue
            # a stop tensor takes its cotangent (its own gradient is the partial
            # derivative, as TF's) but passes none on to the op that made it
            outs = [None if t in stops else grads.get(t) for t in op.outputs]
            if all(o is None for o in outs):
                continue
            rule = op._op
            if custom is None and rule.nograd is not None:
                # (TF: an op with no registered gradient on the path is LookupError; a
                # zero or a dropped path would be a silent wrong gradient)
                raise LookupError(f"No gradient defined for operation '{op.name}' (op type: "
                                  f"{op.type}): {rule.nograd}")
            with graph.name_scope(op.name + "_grad"):
                outs = [None if o is None else _add_all(o) for o in outs]
                if custom is not None:
                    # a node with its own gradient builder (a loop): cotangents in,
                    # cotangents of its inputs out
                    gins = custom(outs)
                elif rule.multi:
                    g = [o if o is not None else dynamic.zeros_like(t)
                         for o, t in zip(outs, op.outputs)]
                    ans = tuple(op.outputs) if rule.save_ans else None
                else:
                    g = outs[0]
                    ans = op.outputs[0] if rule.save_ans else None
                if custom is None:
                    inputs = op._args if rule.save_inputs else (None,) * len(op._args)
                    if rule.needs_mask:
                        # (a rule told which inputs want a cotangent skips the others: a
                        # constant operand's product, or a derivative it cannot give)
                        needs = tuple(isinstance(a, Tensor) and a in reach and
                                      a._np_dtype.kind in "fc" for a in op._args)
                        gins = rule.vjp(nd, g, ans, *inputs, **op._params, _needs=needs)
                    else:
                        gins = rule.vjp(nd, g, ans, *inputs, **op._params)
                sparse = SPARSE_ROWS_RULES.get(rule) if custom is None else None
                through = SPARSE_PASSTHROUGH_RULES.get(rule) if custom is None else None
                several = sum(isinstance(t, Tensor) for t in op._args) > 1
                for k, (a, gi) in enumerate(zip(op._args, gins)):
                    if gi is None or not isinstance(a, Tensor) or a not in reach:
                        continue
                    if a._np_dtype.kind not in "fc":
                        continue
                    if not isinstance(gi, Tensor):
                        gi = graph.constant(np.broadcast_to(np.asarray(gi, a._np_dtype),
                                                            a._shape))
                    grads.setdefault(a, []).append(_fit(nd, gi, a, several))
                    out_rows = rows.get(op.outputs[0]) if through is not None and k == 0 \
                        else None
                    if out_rows and all(t is not None for t in out_rows) and \
                            op.outputs[0] not in grad_ys_of:
                        # the output's sparse terms become the input's
                        rows.setdefault(a, []).extend(out_rows)
                        values.setdefault(a, []).extend(
                            None if v is None else through(v, a)
                            for v in values.get(op.outputs[0], [None] * len(out_rows)))
                        continue
                    r = sparse(op._args, op._params) if sparse is not None and k == 0 \
                        else None
                    rows.setdefault(a, []).append(r)
                    # (the gather's output cotangent: the IndexedSlices' values)
                    values.setdefault(a, []).append(
                        g if r is not None and isinstance(g, Tensor) else None)
        result = []
        for x in xs:
            terms = grads.get(x)
            if not terms:
                result.append(None)
                continue
            total = _add_all(terms) if len(terms) > 1 else terms[0]
            r = rows.get(x, [None])
            if all(t is not None for t in r) and x not in grad_ys_of:
                flat = [nd.reshape(t, (-1,)) for t in r]
                flat = flat[0] if len(flat) == 1 else nd.concat(flat, axis=0)
                note_sparse_rows(total, flat)
                vs = values.get(x, [])
                if vs and all(v is not None and v._np_dtype == x._np_dtype for v in vs):
                    _SPARSE_SLICES[total] = (vs, flat)
            result.append(total)
    return result

"""``tf.train``: optimizers with TensorFlow's update formulas, slot names and defaults.

Each update is one kernel op (``ApplyAdam``, ``ApplyMomentum`` ... as in TensorFlow)
that reads the variable and its slots, computes the step in the variable's dtype, and
stages the writes, which the session commits when the whole run succeeded. The loss
fetched with a train op is therefore the value before the update; a variable fetched
itself with it is the value after (TF 1's ref variables: ``sess.run([train, W])``).
"""
from __future__ import annotations

import contextlib

import numpy as np

from ..graph import errors as _errors
from ..graph.core import Tensor, get_default_graph
from ..graph.gradients import sparse_rows, sparse_slices
from .eager import sparse_rows as _eager_sparse_rows
from .gradients_api import gradients   # (TF's complex convention: conjugated)
from . import framework as _fw
from . import state_ops as _so
from . import variable_scopes as _variable_scope
from . import variables as _variables
from .framework import convert_to_tensor
from .indexed_slices import IndexedSlices

__all__ = ["Optimizer", "GradientDescentOptimizer", "MomentumOptimizer",
           "AdagradOptimizer", "RMSPropOptimizer", "AdamOptimizer", "AdadeltaOptimizer",
           "FtrlOptimizer", "ProximalAdagradOptimizer", "ProximalGradientDescentOptimizer",
           "AdagradDAOptimizer", "get_global_step",
           "get_or_create_global_step", "create_global_step", "exponential_decay",
           "piecewise_constant", "piecewise_constant_decay", "polynomial_decay",
           "natural_exp_decay", "inverse_time_decay", "cosine_decay", "cosine_decay_restarts",
           "linear_cosine_decay", "noisy_linear_cosine_decay"]

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
_ZEROS = tuple((0,) * k for k in range(33))   # index of the one element of a k-d array


def _root_var_scope(g):
    st = _variable_scope._vs_state(g)

    @contextlib.contextmanager
    def cm():
        old = st["current"]
        st["current"] = _variable_scope.VariableScope(False, "", None, old.dtype)
        try:
            yield
        finally:
            st["current"] = old
    return cm()


def _base(v):
    """An eager variable's name without TF's ``:0``."""
    n = getattr(v, "name", "Variable")
    return n[:-2] if n.endswith(":0") else n


class _Scratch:
    """The run context an update is recomputed in at a commit (``RunContext.update``'s
    redo, for kernels that stage their values themselves): it collects them."""

    __slots__ = ("writes", "updates")

    def __init__(self):
        self.writes = {}
        self.updates = None    # (what kernels that stage inline append to: unused)

    def update(self, ops, read, redo, *extra):
        new = redo(*read, *extra)
        self.writes.update(zip(ops, new))
        return new

    def staged_update(self, ops, read, new, redo, extra=()):
        self.writes.update(zip(ops, new))


def _redo_state(w, m, v, fn, ops, *rest):
    """The values kernel ``fn`` of (var, m, v) stages for ``ops`` from that state and its
    other inputs ``rest``, without a run (a staged update's redo)."""
    s = _Scratch()
    fn(s, w, m, v, *rest)
    return tuple(s.writes[o] for o in ops)


class Optimizer:
    """Base class: ``minimize`` = ``compute_gradients`` + ``apply_gradients``.

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable(3.0)
    >>> opt = tf.train.GradientDescentOptimizer(0.5)
    >>> (g, v), = opt.compute_gradients(w * w, var_list=[w])
    >>> train = opt.apply_gradients([(tf.clip_by_value(g, -1.0, 1.0), v)])
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     print(s.run(g), s.run(train), s.run(w))
    6.0 None 2.5
    """

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}        # slot name -> {variable: slot variable}
        self._non_slots = {}    # (name, graph) -> variable
        self._eager = {}        # eager mode: beta powers
        self._eager_slots = {}  # eager mode: variable -> its slot variables

    def get_name(self):
        """The optimizer's name (the name scope of its update ops).

        >>> import ndgrad.tf as tf
        >>> tf.train.AdamOptimizer().get_name(), tf.train.GradientDescentOptimizer(0.1).get_name()
        ('Adam', 'GradientDescent')
        """
        return self._name

    # -- the public verbs -------------------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """An op that applies one step of this optimizer to minimize ``loss``.

        >>> import ndgrad.tf as tf
        >>> w = tf.Variable([1.0, -2.0])
        >>> train = tf.train.GradientDescentOptimizer(0.25).minimize(tf.reduce_sum(w * w))
        >>> with tf.Session() as s:
        ...     s.run(tf.global_variables_initializer())
        ...     print(s.run(train), s.run(w))
        None [ 0.5 -1. ]
        """
        gv = self.compute_gradients(loss, var_list=var_list, gate_gradients=gate_gradients,
                                    aggregation_method=aggregation_method,
                                    grad_loss=grad_loss)
        if not [v for g, v in gv if g is not None]:
            raise ValueError("No gradients provided for any variable, check your graph for "
                             "ops that do not support gradients, between variables "
                             f"{[str(v) for _, v in gv]} and loss {loss}.")
        return self.apply_gradients(gv, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """``[(gradient or None, variable)]`` for the trainable variables (or
        ``var_list``).

        >>> import ndgrad.tf as tf
        >>> w, b = tf.Variable(2.0), tf.Variable(1.0)
        >>> gv = tf.train.GradientDescentOptimizer(0.1).compute_gradients(3.0 * w, var_list=[w, b])
        >>> gv[1][0] is None, gv[1][1] is b
        (True, True)
        >>> with tf.Session() as s:
        ...     s.run(tf.global_variables_initializer())
        ...     print(s.run(gv[0][0]))
        3.0
        """
        if _fw.executing_eagerly():
            from .eager import GradientTape, trainable_eager_variables
            vl = list(var_list) if var_list is not None else trainable_eager_variables()
            with GradientTape() as tape:
                for v in vl:          # (a tensor in var_list: watched, as TF's)
                    tape.watch(v)
                value = loss() if callable(loss) else loss
            return list(zip(tape.gradient(value, vl), vl))
        # (TF's checks: an unknown gating or aggregation was accepted and ignored)
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP,
                                  Optimizer.GATE_GRAPH):
            raise ValueError(f"gate_gradients must be one of: Optimizer.GATE_NONE, "
                             f"Optimizer.GATE_OP, Optimizer.GATE_GRAPH. Not "
                             f"{gate_gradients}")
        if aggregation_method not in (None, 0, 1, 2):
            raise ValueError(f"Invalid aggregation_method specified {aggregation_method!r}.")
        if callable(loss) and not isinstance(loss, Tensor):
            loss = loss()
        if var_list is None:
            var_list = _variables.trainable_variables()
        else:
            var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            # (a tensor may stand in var_list, as in TF: its gradient is given, and
            # apply_gradients refuses to update it)
            if not isinstance(v, (_variables.Variable, Tensor)):
                raise TypeError(f"Argument is not a tf.Variable: {v}")
        grads = gradients(loss, var_list, grad_ys=grad_loss)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """An op that applies ``grads_and_vars`` (an update per variable with a
        gradient; with ``global_step``, also adds one to it).

        >>> import ndgrad.tf as tf
        >>> w = tf.Variable([1.0, 2.0])
        >>> opt = tf.train.GradientDescentOptimizer(0.5)
        >>> train = opt.apply_gradients([(tf.constant([2.0, -2.0]), w)])
        >>> with tf.Session() as s:
        ...     s.run(tf.global_variables_initializer())
        ...     _ = s.run(train)
        ...     print(s.run(w))
        [0. 3.]
        """
        gv = tuple(grads_and_vars)
        if not gv:
            raise ValueError("No variables provided.")
        for g_, v in gv:
            if not hasattr(v, "assign"):     # (a tensor compute_gradients took)
                raise NotImplementedError(f"Trying to update a Tensor {v}: only "
                                          f"variables can be updated (TF's error)")
        if all(g is None for g, _ in gv):
            # (eager mode too: TF's check comes first; an update of nothing would be a
            # training step that silently trains nothing)
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[(str(g), getattr(v, 'name', str(v))) for g, v in gv]}.")
        if _fw.executing_eagerly():
            return self._apply_eager(gv, global_step)
        gv = [(None if g is None else g if isinstance(g, IndexedSlices)
               else convert_to_tensor(g), v) for g, v in gv]
        var_list = [v for g, v in gv if g is not None]     # (not empty: checked above)
        g = var_list[0].graph
        with g.as_default():
            with _root_var_scope(g), g.control_dependencies(None):
                self._create_slots(var_list)
            with g.name_scope(name or self._name) as scope:
                self._prepare()
                updates = []
                for grad, var in gv:
                    if grad is None:
                        continue
                    with g.name_scope("update_" + var.op.name):
                        if isinstance(grad, IndexedSlices):
                            updates.append(self._apply_indexed_slices(grad, var))
                            continue
                        sl = sparse_slices(grad) if self._scatter_update else None
                        upd = None if sl is None else self._apply_slices(sl[0], sl[1], var)
                        if upd is not None:
                            updates.append(upd)
                            continue
                        rows = sparse_rows(grad) if self._sparse_step is not None else None
                        updates.append(self._apply_dense(grad, var) if rows is None
                                       else self._apply_sparse(grad, rows, var))
                if global_step is None:
                    train = self._finish(updates, scope[:-1] + "/")
                else:
                    with g.control_dependencies([self._finish(updates, "update")]):
                        train = _so._state_op(global_step, 1, scope[:-1] + "/",
                                              "AssignAdd", "add").op
            g.add_to_collection("train_op", train)
        return train

    def get_slot(self, var, name):
        """The slot variable ``name`` made for ``var`` (None if there is none).

        >>> import ndgrad.tf as tf
        >>> w = tf.Variable([1.0, 2.0])
        >>> opt = tf.train.MomentumOptimizer(0.1, momentum=0.9)
        >>> train = opt.minimize(tf.reduce_sum(w * w))
        >>> accum = opt.get_slot(w, "momentum")
        >>> with tf.Session() as s:
        ...     s.run(tf.global_variables_initializer())
        ...     for _ in range(2):
        ...         _ = s.run(train)
        ...     print(s.run(accum))
        [3.4 6.8]
        """
        if _fw.executing_eagerly() or isinstance(var, _variables.EagerVariable):
            st = self._eager_slots.get(var)
            names = [k for k, _ in self._slot_specs()]
            return None if st is None or name not in names else st[names.index(name)]
        return self._slots.get(name, {}).get(var)

    def get_slot_names(self):
        """The names of the slots this optimizer makes for each variable, sorted.

        >>> import ndgrad.tf as tf
        >>> w = tf.Variable(1.0)
        >>> opt = tf.train.MomentumOptimizer(0.1, momentum=0.9)
        >>> train = opt.minimize(w * w)
        >>> opt.get_slot_names()
        ['momentum']
        """
        return sorted(self._slots)

    def variables(self):
        """The variables this optimizer made in the current graph (TF's filter: one
        optimizer may serve several graphs): the slots and non-slot variables such as
        Adam's ``beta1_power``.

        >>> import ndgrad.tf as tf
        >>> with tf.Graph().as_default():
        ...     w = tf.Variable([1.0, 2.0], name="w")
        ...     opt = tf.train.AdamOptimizer(0.1)
        ...     train = opt.minimize(tf.reduce_sum(w * w))
        ...     print(sorted(opt.get_slot_names()), opt.get_slot(w, "m").name)
        ...     print(sorted(v.op.name for v in opt.variables()))
        ['m', 'v'] w/Adam:0
        ['beta1_power', 'beta2_power', 'w/Adam', 'w/Adam_1']
        """
        out = []
        for d in self._slots.values():
            out.extend(d.values())
        out.extend(self._non_slots.values())
        if _fw.executing_eagerly():
            return out
        g = get_default_graph()
        return [v for v in out if getattr(v, "graph", g) is g]

    # -- for subclasses: slots, hyper-parameters and the update step --------------------
    _kernel_type = "ApplyUpdate"
    _slot_prefixes = {}     # slot name -> its variables' name suffix (default: the name)

    def _slot_specs(self):
        """[(slot key, initial value)] per variable, in slot-name order."""
        return []

    def _hyper_values(self):
        """[(value, name)]: Python numbers or tensors."""
        return []

    def _extra_hypers(self, var):
        return []

    def _step(self, var, *args):
        raise NotImplementedError

    # optional: ``_fused_step(dtype, *state, *hypers, grad)`` -> the new (var, *slots) from
    # the raw values, or None where it does not apply (then ``_step`` runs); it must give
    # exactly ``_step``'s values, in fresh arrays
    _fused_step = None

    def _create_slots(self, var_list):
        for v in var_list:
            for key, init in self._slot_specs():
                self._slot(v, key, init)

    def _apply_dense(self, grad, var):
        dt = var._np_dtype
        slots = [self.get_slot(var, k) for k, _ in self._slot_specs()]
        hyps = self._extra_hypers(var) + [self._hyper(v, n, dt)
                                          for v, n in self._hyper_values()]
        return self._kernel(self._kernel_type, var, slots, hyps, grad, self._step)

    # TensorFlow updates only the rows of a variable a gradient reached through gathers
    # (an IndexedSlices gradient: embedding_lookup, tf.gather), where an update with a
    # zero gradient still moves a row (momentum, a decaying mean square): such an
    # optimizer has ``_sparse_step(var_rows, *slot_rows, *hypers, grad_rows)``, TF's
    # sparse kernel on the rows (duplicate indices summed first, as TF's optimizers do).
    # Where a zero gradient changes nothing (Adagrad) the dense update is TF's result
    # (up to the rounding of TF's own kernels): None.
    _sparse_step = None
    # An optimizer whose TF update of an IndexedSlices gradient has arithmetic of its own
    # sets this and ``_apply_slices(values, rows, var)``, made from the gathers'
    # cotangents (``sparse_slices``) without the dense gradient: plain SGD's
    # ``var.scatter_sub(values * lr)`` (a repeated index applied once per occurrence),
    # Adam's ``_apply_sparse_shared``. (None from it: the update as for any gradient.)
    _scatter_update = False

    def _apply_slices(self, values, rows, var):
        """The update op made from the slices, or None: the update as for any gradient
        (``_apply_dense`` / ``_apply_sparse``)."""
        return None

    def _apply_indexed_slices(self, grad, var):
        """The update for a ``tf.IndexedSlices`` gradient: the slices' own update
        (``_apply_slices``), else the rows' sparse update, else the dense one."""
        if grad.values._np_dtype != var._np_dtype:
            raise TypeError(f"apply_gradients: the gradient of {var.op.name} has dtype "
                            f"{grad.dtype.name}, the variable {var.dtype.base_dtype.name}")
        if self._scatter_update:
            upd = self._apply_slices([grad.values], grad.indices, var)
            if upd is not None:
                return upd
        # (TF's sparse kernels read the indices, not dense_shape: the variable's rows)
        rows = var._shape[0] if var._shape and var._shape[0] is not None else None
        dense = grad._convert_to_tensor(rows) if rows is not None else \
            convert_to_tensor(grad)
        if self._sparse_step is not None:
            from .math_ops import reshape
            return self._apply_sparse(dense, reshape(grad.indices, [-1]), var)
        return self._apply_dense(dense, var)

    def _apply_sparse(self, grad, rows, var):
        dt = var._np_dtype
        slots = [self.get_slot(var, k) for k, _ in self._slot_specs()]
        hyps = self._extra_hypers(var) + [self._hyper(v, n, dt)
                                          for v, n in self._hyper_values()]
        targets = [var] + slots
        ops = [t._op for t in targets]
        n_state, n_hyp = len(targets), len(hyps)
        step = self._sparse_step

        def fn(ctx, *vals):
            state = [np.asarray(v) for v in vals[:n_state]]
            hyp = [float(h) for h in vals[n_state:n_state + n_hyp]]
            g, idx = np.asarray(vals[-2]), np.asarray(vals[-1]).reshape(-1)
            u = np.unique(idx)
            if u.size and (u[0] < 0 or u[-1] >= state[0].shape[0]):
                raise IndexError(     # (the session reports it as InvalidArgumentError)
                    f"indices {u[0] if u[0] < 0 else u[-1]} out of range [0, "
                    f"{state[0].shape[0]}) in the sparse update of {var.op.name}")
            def redo(*state):
                new = step(*[s[u] for s in state], *hyp, g[u])
                out = []
                for s, r in zip(state, new):
                    full = np.array(s, dtype=dt)      # (a fresh array: the update's result)
                    full[u] = r
                    out.append(full)
                return out
            return ctx.update(ops, state, redo)[0]
        fn.targets = tuple(ops)
        args = tuple(targets) + tuple(hyps) + (grad, rows)
        return var.graph.special_op("Sparse" + self._kernel_type,
                                    "Sparse" + self._kernel_type, args, fn,
                                    [(var._shape, dt)])

    def _eager_finish(self):
        pass

    def _apply_eager(self, gv, global_step):
        # (one step at a time: each reads the variables and slots it writes, and threads
        # stepping at once would write over each other's updates)
        with _variables.EAGER_UPDATE:
            return self._apply_eager_locked(gv, global_step)

    def _apply_eager_locked(self, gv, global_step):
        for g, v in gv:
            if g is None:
                continue
            dt = np.dtype(v.dtype)
            # (keyed by the variable itself, not id(v): a variable that died could leave
            # its id, and its slots' state, to a new one)
            st = self._eager_slots.get(v)
            if st is None:
                st = self._eager_slots[v] = self._eager_slot_variables(v, dt)
            slots, st = st, [s._data for s in st]
            # the hyper-parameters as TF's kernels read them: a Python number becomes a
            # float32 tensor, cast to the variable's dtype (graph mode: ``_hyper``)
            hyps = [float(h) for h in self._extra_hypers(v)] + [
                float(np.asarray(_fw.eager_values(convert_to_tensor(
                    h() if callable(h) else h)), dtype=dt))   # (TF's _call_if_callable)
                for h, _ in self._hyper_values()]
            rows = _eager_sparse_rows(g) if self._sparse_step is not None else None
            if rows is None:
                new = self._step(_fw.eager_values(v), *st, *hyps, _fw.eager_values(g, dt))
            else:
                # (TF's sparse kernel on the rows gathers reached: see _sparse_step)
                state = [np.asarray(_fw.eager_values(v))] + st
                u = np.unique(rows)
                sub = self._sparse_step(*[x[u] for x in state], *hyps,
                                        np.asarray(_fw.eager_values(g, dt))[u])
                new = []
                for x, r in zip(state, sub):
                    full = np.array(x, dtype=dt)
                    full[u] = r
                    new.append(full)
            v.assign(np.asarray(new[0], dtype=dt))
            for s, x in zip(slots, new[1:]):
                s._data = np.asarray(x, dtype=dt)   # (the slot variables get_slot returns)
        self._eager_finish()
        if global_step is not None:
            global_step.assign_add(1)
        return None

    def _eager_slot_variables(self, v, dt):
        """``v``'s slot variables in eager mode, named as graph mode names them
        (``<var>/Adam``, ``<var>/Adam_1``)."""
        out, seen = [], {}
        for slot_name, init in self._slot_specs():
            prefix = f"{_base(v)}/{self._slot_prefixes.get(slot_name, self._name)}"
            k = seen.get(prefix, 0)
            seen[prefix] = k + 1
            out.append(_variables.EagerVariable(np.full(v.shape, init, dtype=dt),
                                                trainable=False,
                                                name=prefix if not k else f"{prefix}_{k}"))
        return out

    def _prepare(self):
        pass

    def _finish(self, update_ops, name):
        return _so.group(*update_ops, name=name)

    def _slot(self, var, slot_name, init):
        """A slot variable ``var_name/<optimizer name>`` (``_1``, ``_2`` for more)."""
        d = self._slots.setdefault(slot_name, {})
        if var in d:
            return d[var]
        g = var.graph
        st = _variable_scope._vs_state(g)
        prefix = var.op.name + "/" + self._slot_prefixes.get(slot_name, self._name)
        name = _variable_scope._unique_var_scope(st, prefix)
        st["counts"][name] = st["counts"].get(name, 0) + 1
        shape = var._shape
        value = np.full(shape, init, dtype=var._np_dtype)
        with g.name_scope(None):
            slot = _variables.Variable(value, trainable=False, name=name, dtype=var._np_dtype)
        d[var] = slot
        return slot

    def _non_slot(self, name, value, colocate):
        g = colocate.graph
        key = (name, g)
        v = self._non_slots.get(key)
        if v is None:
            # a Python number makes a float32 variable, as TF's (Adam's beta1_power and
            # beta2_power are float32 for a float64 model too: their products round to
            # float32 at each step, and the checkpoint holds float32)
            dt = np.float32 if isinstance(value, (int, float)) else colocate._np_dtype
            # (a tensor -- Adam's beta1 given as one -- is the variable's initial value,
            # as TF's; np.asarray of it raised)
            init = value if isinstance(value, Tensor) else np.asarray(value, dtype=dt)
            v = _variables.Variable(init, trainable=False, name=name)
            self._non_slots[key] = v
        return v

    def _hyper(self, value, name, dtype):
        if callable(value) and not isinstance(value, Tensor):
            value = value()          # (TF's _call_if_callable)
        t = convert_to_tensor(value, name=name) if not isinstance(value, Tensor) else value
        if t._np_dtype != dtype:
            from .math_ops import cast
            t = cast(t, dtype)
        return t

    def _kernel(self, type_, var, slots, hypers, grad, compute):
        """One update op: ``compute(var, *slots, *hypers, grad) -> (var, *slots)`` on
        NumPy values; the new values are staged and the op outputs the new var."""
        g = var.graph
        dt = var._np_dtype
        targets = [var] + list(slots)
        ops = [t._op for t in targets]

        n_state = len(targets)
        n_hyp = len(hypers)
        fused = self._fused_step

        def redo(*vals):   # the state, then the hyper-parameters and the gradient
            new = None if fused is None else fused(dt, *vals)
            if new is not None:     # fresh arrays of dt (``_fused_step``'s contract)
                return new
            # hyper-parameters (0-d) as Python floats: the arithmetic stays in dt
            vals = list(vals)
            for i in range(n_state, n_state + n_hyp):
                vals[i] = float(vals[i])
            return [v if type(v) is np.ndarray and v.dtype == dt else
                    np.asarray(v, dtype=dt) for v in compute(*vals)]

        def fn(ctx, *vals):
            # (a staged update: recomputed on the committed state where another run
            # updated it since this one read it)
            return ctx.update(ops, vals[:n_state], redo, *vals[n_state:])[0]
        one = self._one_element_kernel(tuple(ops), dt, var._shape, fn)
        if one is not None:
            fn = one
        fn.targets = tuple(ops)
        deferred = self._deferred_kernel(ops[0], dt, fn)
        if deferred is not None:
            # the plan compiler runs this form where nothing in the run reads the
            # staged value again (``graph/compiler/defer.py``)
            deferred.targets = fn.targets
            if hasattr(deferred, "own_grad"):
                deferred.own_grad.targets = fn.targets
            fn.deferred = deferred
        args = tuple(targets) + tuple(hypers) + (grad,)
        op = g.special_op(type_, type_, args, fn, [(var._shape, dt)])
        return op

    def _deferred_kernel(self, var_op, dt, fn):
        """``fn``'s form that stages its update for the commit, where the session may
        write it into the variable's own buffer, or None (the update as ``fn`` stages
        it)."""
        return None

    def _one_element_kernel(self, ops, dt, shape, general):
        """An update ``fn`` specialised for a variable of one element and static
        ``shape`` (a bias, the seed course's W), which runs ``general`` wherever its
        values are not what it is made for; or None (``general`` alone)."""
        return None


def _slices(op, var, w, values, idx, dt):
    """(flat indices, values as rows of ``w``) of an update from a gradient's slices:
    an index outside ``w``'s rows, or values whose rows are not one per index, is TF's
    InvalidArgumentError (nothing is written: the run fails before its commit)."""
    idx = np.asarray(idx).reshape(-1)
    n = w.shape[0] if w.ndim else 0
    bad = (idx < 0) | (idx >= n)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise _errors.InvalidArgumentError(
            None, op, f"indices[{k}] = {int(idx[k])} is not in [0, {n})")
    tail = w.shape[1:]
    rows = [np.asarray(t, dtype=dt).reshape((-1,) + tail) for t in values]
    d = rows[0] if len(rows) == 1 else np.concatenate(rows)
    if d.shape[0] != idx.size:
        raise _errors.InvalidArgumentError(
            None, op, f"the update of {var.op.name} has {d.shape[0]} rows of values for "
            f"{idx.size} indices")
    return idx, d


def _scatter_sub(old, operand, out=None):
    """``old`` with ``values`` subtracted at ``rows`` (``operand``), one index after the
    other (``np.subtract.at``: TF's ScatterSub): into ``old`` itself when ``out`` is it
    (the commit's in-place form), else into a copy."""
    idx, values = operand
    r = old if out is old else np.array(old, copy=True)
    np.subtract.at(r, idx, values)
    return r


class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * grad``.

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable(0.0)
    >>> train = tf.train.GradientDescentOptimizer(0.1).minimize((w - 3.0) ** 2)
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     for _ in range(3):
    ...         _ = s.run(train)
    ...     print(s.run(w))
    1.464
    """

    _kernel_type = "ApplyGradientDescent"

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _hyper_values(self):
        return [(self._learning_rate, "learning_rate")]

    @staticmethod
    def _step(v, lr, g):
        return (v - lr * g,)

    _scatter_update = True

    def _apply_slices(self, values, rows, var):
        """TF 1's sparse SGD (``_apply_sparse_duplicate_indices``): ``var.scatter_sub(
        values * lr)``, each index's row updated in the indices' order (a duplicate index
        twice, one after the other, as TF's ScatterSub kernel: not the summed gradient at
        once) -- only the rows a step touched, without the dense gradient. Staged as
        every update; committed in place where the variable's buffer is the session's
        alone (the deferred form)."""
        dt = var._np_dtype
        var_op = var._op
        lr = self._hyper(self._learning_rate, "learning_rate", dt)
        n_vals = len(values)

        def delta(v, lr, vals, idx):
            v = np.asarray(v)
            idx, d = _slices(op, var, v, vals, idx, dt)
            return v, idx, np.multiply(d, dt.type(lr))

        def fn(ctx, v, lr, *rest):
            v, idx, d = delta(v, lr, rest[:n_vals], rest[n_vals])
            return ctx.update((var_op,), (v,), lambda cur: (_scatter_sub(cur, (idx, d)),))[0]

        def deferred(ctx, v, lr, *rest):
            v, idx, d = delta(v, lr, rest[:n_vals], rest[n_vals])
            ctx.defer(var_op, v, (idx, d), _scatter_sub)
            return None
        fn.targets = deferred.targets = (var_op,)
        fn.deferred = deferred
        op = var.graph.special_op("ScatterSub", "ScatterSub",
                                  (var, lr) + tuple(values) + (rows,), fn, [(var._shape, dt)])
        return op

    def _deferred_kernel(self, var_op, dt, fn):
        if dt.kind != "f":
            return None

        def make(own_grad):
            def deferred(ctx, v, lr, g):
                # ``v - lr * g`` as ``_step``: the product now (into g's buffer where
                # the plan owns g: ``own_grad``), the difference at the commit (into
                # v's buffer when nothing else holds it: TensorFlow's in-place update)
                if type(v) is np.ndarray and type(g) is np.ndarray and v.dtype == dt \
                        and g.dtype == dt and v.shape == g.shape and v.ndim:
                    if own_grad and g.flags.writeable:
                        t = np.multiply(g, float(lr), out=g)
                    else:
                        t = np.multiply(g, float(lr))
                    ctx.defer(var_op, v, t, np.subtract)
                    return None
                return fn(ctx, v, lr, g)
            return deferred
        deferred = make(False)
        # the form for a gradient no other step reads, made by a ufunc step of the plan
        deferred.own_grad = make(True)
        return deferred


class MomentumOptimizer(Optimizer):
    """``accum = momentum * accum + grad; var -= lr * accum`` (Nesterov:
    ``var -= lr * grad + lr * momentum * accum``). Slot ``Momentum``.

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable(0.0)
    >>> train = tf.train.MomentumOptimizer(0.1, momentum=0.9).minimize((w - 3.0) ** 2)
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     for _ in range(3):
    ...         _ = s.run(train)
    ...     print(s.run(w))
    2.8140001
    """

    _kernel_type = "ApplyMomentum"

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _slot_specs(self):
        return [("momentum", 0.0)]

    def _hyper_values(self):
        return [(self._learning_rate, "learning_rate"), (self._momentum, "momentum")]

    def _step(self, v, a, lr, mu, g):
        a = a * mu + g
        if self._use_nesterov:
            return v - (g * lr + a * mu * lr), a
        return v - lr * a, a

    # TF's SparseApplyMomentum: the same arithmetic, on the rows a gather reached only
    def _sparse_step(self, v, a, lr, mu, g):
        return self._step(v, a, lr, mu, g)


class AdagradOptimizer(Optimizer):
    """``accum += grad**2; var -= lr * grad / sqrt(accum)``; accumulators start at 0.1.

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable(0.0)
    >>> train = tf.train.AdagradOptimizer(0.5).minimize((w - 3.0) ** 2)
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     for _ in range(3):
    ...         _ = s.run(train)
    ...     print(s.run(w))
    1.0628022
    """

    _kernel_type = "ApplyAdagrad"

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial = initial_accumulator_value

    def _slot_specs(self):
        return [("accumulator", self._initial)]

    def _hyper_values(self):
        return [(self._learning_rate, "learning_rate")]

    @staticmethod
    def _step(v, a, lr, g):
        a = a + g * g
        return v - lr * g / np.sqrt(a), a


class RMSPropOptimizer(Optimizer):
    """``ms = decay*ms + (1-decay)*grad**2; mom = momentum*mom + lr*grad/sqrt(ms+eps);
    var -= mom``; ``ms`` starts at ones, epsilon 1e-10. Slots ``RMSProp`` (ms),
    ``RMSProp_1`` (mom), and for ``centered`` the mean gradient (then ``RMSProp_1`` is
    the mean gradient and ``RMSProp_2`` the momentum).

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable(0.0)
    >>> train = tf.train.RMSPropOptimizer(0.1).minimize((w - 3.0) ** 2)
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     for _ in range(3):
    ...         _ = s.run(train)
    ...     print(s.run(w))
    0.6572851
    """

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10,
                 use_locking=False, centered=False, name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered
        self._kernel_type = "ApplyCenteredRMSProp" if centered else "ApplyRMSProp"

    def _slot_specs(self):
        if self._centered:
            return [("rms", 1.0), ("mg", 0.0), ("momentum", 0.0)]
        return [("rms", 1.0), ("momentum", 0.0)]

    def _hyper_values(self):
        return [(self._learning_rate, "learning_rate"), (self._decay, "decay"),
                (self._momentum, "momentum"), (self._epsilon, "epsilon")]

    def _step(self, v, *args):
        if self._centered:
            ms, mg, mom, lr, rho, mu, eps, g = args
            ms = ms + (g * g - ms) * (1 - rho)
            mg = mg + (g - mg) * (1 - rho)
            mom = mom * mu + lr * g / np.sqrt(ms - mg * mg + eps)
            return v - mom, ms, mg, mom
        ms, mom, lr, rho, mu, eps, g = args
        ms = ms + (g * g - ms) * (1 - rho)
        mom = mom * mu + lr * g / np.sqrt(ms + eps)
        return v - mom, ms, mom

    def _sparse_step(self, v, *args):
        # TF's SparseApply(Centered)RMSProp, on the rows a gather reached only: its own
        # arithmetic (``ms * rho + g^2 * (1 - rho)``, the reciprocal square root)
        if self._centered:
            ms, mg, mom, lr, rho, mu, eps, g = args
            ms = ms * rho + g * g * (1 - rho)
            mg = mg * rho + g * (1 - rho)
            mom = mom * mu + 1 / np.sqrt(ms + eps - mg * mg) * lr * g
            return v - mom, ms, mg, mom
        ms, mom, lr, rho, mu, eps, g = args
        ms = ms * rho + g * g * (1 - rho)
        mom = mom * mu + 1 / np.sqrt(ms + eps) * lr * g
        return v - mom, ms, mom


def _adam_alpha(T, lr, b1p, b2p):
    """Adam's ``lr * sqrt(1 - beta2^t) / (1 - beta1^t)`` in the variable's type ``T``, as
    TF's kernel computes it (in float64 and rounded once it was 1 ulp off in float32, and
    1.3% in float16: 0.03162 where TF's half arithmetic gives 0.03122)."""
    one = T(1)
    return T(lr) * np.sqrt(one - T(b2p)) / (one - T(b1p))


class AdamOptimizer(Optimizer):
    """Adam as TensorFlow computes it: ``lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)``,
    ``m += (g - m)(1 - beta1)``, ``v += (g^2 - v)(1 - beta2)``,
    ``var -= lr_t * m / (sqrt(v) + epsilon)``; slots ``Adam`` (m) and ``Adam_1`` (v),
    non-slot variables ``beta1_power`` and ``beta2_power``.

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable(0.0)
    >>> train = tf.train.AdamOptimizer(0.1).minimize((w - 3.0) ** 2)
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     for _ in range(3):
    ...         _ = s.run(train)
    ...     print(s.run(w))
    0.29961744
    """

    _kernel_type = "ApplyAdam"

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon

    def _slot_specs(self):
        return [("m", 0.0), ("v", 0.0)]

    def _create_slots(self, var_list):
        first = min(var_list, key=lambda v: v.name)
        self._non_slot("beta1_power", self._beta1, first)
        self._non_slot("beta2_power", self._beta2, first)
        super()._create_slots(var_list)

    def _get_beta_accumulators(self, graph=None):
        g = graph or get_default_graph()
        return (self._non_slots[("beta1_power", g)], self._non_slots[("beta2_power", g)])

    def _extra_hypers(self, var):
        if _fw.executing_eagerly():
            # (float32, as TF's beta1_power/beta2_power variables: their products round
            # to float32 at every step, which moves the step size in the 7th digit)
            st = self._eager.setdefault("powers", [np.float32(float(self._beta1)),
                                                   np.float32(float(self._beta2))])
            return list(st)
        return list(self._get_beta_accumulators(var.graph))

    def _hyper_values(self):
        return [(self._lr, "learning_rate"), (self._beta1, "beta1"),
                (self._beta2, "beta2"), (self._epsilon, "epsilon")]

    @staticmethod
    def _step(w, m, v, b1p, b2p, lr, b1, b2, eps, g):
        lr_t = _adam_alpha(np.asarray(w).dtype.type, lr, b1p, b2p)
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        return w - lr_t * m / (np.sqrt(v) + eps), m, v

    @staticmethod
    def _fused_step(dt, w, m, v, b1p, b2p, lr, b1, b2, eps, g):
        """``_step`` for NumPy arrays of one floating dtype and one shape (not 0-d), in
        fewer and cheaper ufunc calls: the constants become 0-d arrays of ``dt`` once
        (the same rounding a Python float gets inside each ufunc), so every array op
        is an array-array one. The same values as ``_step``, bit for bit (but for a
        NaN's sign, which NumPy's scalar and array loops do not agree on either)."""
        nd_ = np.ndarray
        if type(w) is not nd_ or type(m) is not nd_ or type(v) is not nd_ or \
                type(g) is not nd_ or dt.kind != "f":
            return None
        shape = w.shape
        if not shape or m.shape != shape or v.shape != shape or g.shape != shape:
            return None
        if not (w.dtype is dt and m.dtype is dt and v.dtype is dt and g.dtype is dt) and \
                not (w.dtype == dt and m.dtype == dt and v.dtype == dt and g.dtype == dt):
            return None
        lr_t = _adam_alpha(dt.type, lr, b1p, b2p)
        if w.size == 1 and (dt == _F32 or dt == _F64):
            # one element (a bias, the seed course's W): NumPy scalars of dt, whose
            # arithmetic is the arrays' (one IEEE operation each), ~10x cheaper per op;
            # the Python-float constants are weak (NEP 50): each is rounded to dt, as
            # inside a ufunc, so no dt scalar needs constructing
            k = w.ndim
            i = _ZEROS[k] if k < len(_ZEROS) else (0,) * k
            ms, vs, gs = m[i], v[i], g[i]
            ms = ms + (gs - ms) * (1 - float(b1))
            vs = vs + (gs * gs - vs) * (1 - float(b2))
            ws = w[i] - lr_t * ms / (np.sqrt(vs) + float(eps))
            return (np.array(ws, ndmin=k), np.array(ms, ndmin=k), np.array(vs, ndmin=k))
        m = m + (g - m) * np.array(1 - float(b1), dt)
        v = v + (g * g - v) * np.array(1 - float(b2), dt)
        return (w - np.array(lr_t, dt) * m / (np.sqrt(v) + np.array(float(eps), dt)),
                m, v)

    def _one_element_kernel(self, ops, dt, shape, general):
        """``_fused_step``'s one-element form as the whole kernel: the values, shapes
        and dtypes checked in one condition, the new values staged directly (about
        1 us less per update than ``general``'s generic path); the same operations, so
        the same bits. Anything else (another backend's arrays, a dtype or shape that
        is not the static one) runs ``general``."""
        if self._fused_step is None or (dt != _F32 and dt != _F64) or shape is None or \
                not shape or any(d != 1 for d in shape) or len(ops) != 3:
            return None
        shape = tuple(shape)
        k = len(shape)
        i = (0,) * k
        nd_ = np.ndarray
        array = np.array
        npsqrt = np.sqrt
        T = dt.type
        alpha = _adam_alpha
        w_op, m_op, v_op = ops

        def fn(ctx, w, m, v, b1p, b2p, lr, b1, b2, eps, g):
            if type(w) is nd_ and type(m) is nd_ and type(v) is nd_ and type(g) is nd_ \
                    and w.dtype == dt and m.dtype == dt and v.dtype == dt and \
                    g.dtype == dt and w.shape == shape and m.shape == shape and \
                    v.shape == shape and g.shape == shape and w_op not in ctx.writes:
                # (as ``_fused_step``: NumPy scalars of dt, weak Python-float constants)
                lr_t = alpha(T, lr, b1p, b2p)
                ms, vs, gs = m[i], v[i], g[i]
                ms = ms + (gs - ms) * (1 - float(b1))
                vs = vs + (gs * gs - vs) * (1 - float(b2))
                ws = w[i] - lr_t * ms / (npsqrt(vs) + float(eps))
                writes = ctx.writes
                new = writes[w_op] = array(ws, ndmin=k)
                m2 = writes[m_op] = array(ms, ndmin=k)
                v2 = writes[v_op] = array(vs, ndmin=k)
                # (RunContext.staged_update inlined: one of these per step and variable)
                u = ctx.updates
                if u is None:
                    u = ctx.updates = []
                u.append((ops, (w, m, v), (new, m2, v2), _redo_state,
                          (general, ops, b1p, b2p, lr, b1, b2, eps, g)))
                return new
            return general(ctx, w, m, v, b1p, b2p, lr, b1, b2, eps, g)
        return fn

    _scatter_update = True

    def _apply_slices(self, values, rows, var):
        """TF 1's Adam on an IndexedSlices gradient (``_apply_sparse_shared``), whose
        arithmetic differs from the dense kernel's: the duplicate indices summed first
        (``unique`` + ``unsorted_segment_sum``), then ``m = m * beta1`` and ``v = v *
        beta2`` on every row, ``(1 - beta1) * g`` and ``(g * g) * (1 - beta2)`` added at
        the rows (``scatter_add``), and ``var -= lr * m / (sqrt(v) + epsilon)`` on every
        row with ``lr = lr_t * sqrt(1 - beta2^t) / (1 - beta1^t)`` in the variable's
        dtype. (The dense form, ``m += (g - m)(1 - beta1)`` with the scattered gradient,
        gave other last bits: up to 24 ulps after three steps on an embedding.)"""
        dt = var._np_dtype
        if dt.kind != "f":
            return None
        m_slot, v_slot = self.get_slot(var, "m"), self.get_slot(var, "v")
        b1p, b2p = self._get_beta_accumulators(var.graph)
        hyps = [self._hyper(v, n, dt) for v, n in self._hyper_values()]
        targets = (var, m_slot, v_slot)
        ops = tuple(t._op for t in targets)
        n_vals = len(values)
        one = dt.type(1)

        def fn(ctx, *args):
            w, m, v = (np.asarray(a) for a in args[:3])
            b1p, b2p, lr, b1, b2, eps = args[3:9]
            rest = args[9:]
            idx, g = _slices(op, var, w, rest[:n_vals], rest[n_vals], dt)
            tail = w.shape[1:]
            u, pos = np.unique(idx, return_inverse=True)
            gs = np.zeros((u.size,) + tail, dtype=dt)
            np.add.at(gs, pos.reshape(-1), g)           # (unsorted_segment_sum)
            b1p, b2p, lr, b1, b2, eps = (dt.type(x) for x in (b1p, b2p, lr, b1, b2, eps))
            lr_t = lr * np.sqrt(one - b2p) / (one - b1p)
            m_new = m * b1
            m_new[u] = m_new[u] + gs * (one - b1)
            v_new = v * b2
            v_new[u] = v_new[u] + (gs * gs) * (one - b2)
            w_new = w - lr_t * m_new / (np.sqrt(v_new) + eps)
            ctx.staged_update(ops, args[:3], (w_new, m_new, v_new), _redo_state,
                              (fn, ops) + args[3:])
            return w_new
        fn.targets = ops
        op = var.graph.special_op("SparseApplyAdam", "SparseApplyAdam",
                                  targets + (b1p, b2p) + tuple(hyps) + tuple(values) +
                                  (rows,), fn, [(var._shape, dt)])
        return op

    def _finish(self, update_ops, name):
        g = update_ops[0].graph
        b1p, b2p = self._get_beta_accumulators(g)
        with g.control_dependencies(update_ops):
            u1 = _so.assign(b1p, b1p * self._beta1, name="Assign")
            u2 = _so.assign(b2p, b2p * self._beta2, name="Assign_1")
        return _so.group(*update_ops, u1.op, u2.op, name=name)

    def _eager_finish(self):
        st = self._eager.get("powers")
        if st is not None:
            st[0] = st[0] * np.float32(float(self._beta1))
            st[1] = st[1] * np.float32(float(self._beta2))


def _sign(x):
    return np.sign(x).astype(x.dtype, copy=False)


def _fobos(prox, lr, l1, l2):
    """The proximal step of TF's Proximal* kernels on ``prox = var - lr * grad``:
    ``sign(prox) * max(|prox| - lr * l1, 0) / (1 + l2 * lr)`` (without l1: ``prox / (1 +
    l2 * lr)``); ``lr``, ``l1``, ``l2`` scalars of prox's dtype."""
    one = prox.dtype.type(1)
    if l1 > 0:
        return _sign(prox) * np.maximum(np.abs(prox) - lr * l1, 0 * one) / (one + l2 * lr)
    return prox / (one + l2 * lr)


class _UncastHypers:
    """TF's ProximalAdagrad and ProximalGradientDescent pass their hyper-parameters to
    the kernel without casting them to the variable's dtype: a Python number is a
    float32 tensor, and for a float64 variable TF's op builder raises a TypeError (its
    eager kernel an InvalidArgumentError)."""

    def _check_hyper_dtypes(self, var_dtype, hypers, eager=False):
        for value, name in hypers:
            if callable(value) and not isinstance(value, Tensor):
                value = value()
            t = convert_to_tensor(value)
            dt = np.dtype(t._np_dtype if isinstance(t, Tensor) else t.dtype)
            if dt != var_dtype:
                if eager:     # (TF's eager kernel: an InvalidArgumentError)
                    from ..graph.errors import InvalidArgumentError
                    raise InvalidArgumentError(
                        None, None, f"cannot compute Resource{self._kernel_type}: its "
                        f"'{name}' was expected to be a {var_dtype.name} tensor (the "
                        f"variable's dtype) but is a {dt.name} tensor")
                raise TypeError(f"Input '{name}' of '{self._kernel_type}' Op has type "
                                f"{dt.name} that does not match type {var_dtype.name} of "
                                f"argument 'var'.")

    def _hyper(self, value, name, dtype):
        if callable(value) and not isinstance(value, Tensor):
            value = value()
        t = value if isinstance(value, Tensor) else convert_to_tensor(value, name=name)
        self._check_hyper_dtypes(np.dtype(dtype), [(t, name)])
        return super()._hyper(t, name, dtype)

    def _apply_eager(self, gv, global_step):
        for g, v in gv:
            if g is not None:
                self._check_hyper_dtypes(np.dtype(v.dtype), self._hyper_values(), True)
        return super()._apply_eager(gv, global_step)


class AdadeltaOptimizer(Optimizer):
    """TF's ApplyAdadelta: ``accum = rho*accum + (1-rho)*g^2``, ``update =
    sqrt(accum_update + eps) / sqrt(accum + eps) * g``, ``var -= lr * update``,
    ``accum_update = rho*accum_update + (1-rho)*update^2``; slots ``accum`` and
    ``accum_update`` (checkpoint names ``var/Adadelta``, ``var/Adadelta_1``).

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable([1.0, -2.0])
    >>> train = tf.train.AdadeltaOptimizer(1.0).minimize(tf.reduce_sum(w * w))
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     _ = s.run(train)
    ...     print(s.run(w).round(6))
    [ 0.999553 -1.999553]
    """

    _kernel_type = "ApplyAdadelta"

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._rho = rho
        self._epsilon = epsilon

    def _slot_specs(self):
        return [("accum", 0.0), ("accum_update", 0.0)]

    def _hyper_values(self):
        return [(self._lr, "lr"), (self._rho, "rho"), (self._epsilon, "epsilon")]

    @staticmethod
    def _step(v, accum, accum_update, lr, rho, eps, g):
        T = np.asarray(v).dtype.type
        lr, rho, eps = T(lr), T(rho), T(eps)
        accum = accum * rho + g * g * (T(1) - rho)
        update = np.sqrt(accum_update + eps) * (T(1) / np.sqrt(accum + eps)) * g
        v = v - update * lr
        accum_update = accum_update * rho + update * update * (T(1) - rho)
        return v, accum, accum_update

    # TF's SparseApplyAdadelta: the same arithmetic on the gathered rows only (a zero
    # gradient elsewhere would still decay ``accum``/``accum_update`` and move var)
    _sparse_step = _step


class ProximalGradientDescentOptimizer(_UncastHypers, Optimizer):
    """TF's ApplyProximalGradientDescent (FOBOS): ``prox = var - lr * g``, then
    ``var = sign(prox) * max(|prox| - lr * l1, 0) / (1 + lr * l2)`` (without l1:
    ``prox / (1 + lr * l2)``).

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable([1.0, -0.01])
    >>> opt = tf.train.ProximalGradientDescentOptimizer(0.1, l1_regularization_strength=0.5)
    >>> train = opt.minimize(tf.reduce_sum(w * w))
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     _ = s.run(train)
    ...     print(s.run(w))
    [ 0.75 -0.  ]
    """

    _kernel_type = "ApplyProximalGradientDescent"

    def __init__(self, learning_rate, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False,
                 name="ProximalGradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength

    def _hyper_values(self):
        return [(self._learning_rate, "learning_rate"), (self._l1, "l1_regularization_strength"),
                (self._l2, "l2_regularization_strength")]

    @staticmethod
    def _step(v, lr, l1, l2, g):
        T = np.asarray(v).dtype.type
        lr, l1, l2 = T(lr), T(l1), T(l2)
        return (_fobos(v - g * lr, lr, l1, l2),)

    # TF's SparseApplyProximalGradientDescent: the gathered rows only (l1/l2 shrink
    # every row a dense update reaches, a zero gradient too)
    _sparse_step = _step


class ProximalAdagradOptimizer(_UncastHypers, Optimizer):
    """TF's ApplyProximalAdagrad: ``accum += g^2``, ``lr_t = lr / sqrt(accum)``,
    ``prox = var - lr_t * g``, ``var = sign(prox) * max(|prox| - lr_t * l1, 0) /
    (1 + lr_t * l2)``; slot ``accumulator`` (starts at ``initial_accumulator_value``).

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable([1.0, -2.0])
    >>> train = tf.train.ProximalAdagradOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     _ = s.run(train)
    ...     print(s.run(w).round(6))
    [ 0.901227 -1.900311]
    """

    _kernel_type = "ApplyProximalAdagrad"

    def __init__(self, learning_rate, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalAdagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial = initial_accumulator_value
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength

    def _slot_specs(self):
        return [("accumulator", self._initial)]

    def _hyper_values(self):
        return [(self._learning_rate, "learning_rate"), (self._l1, "l1_regularization_strength"),
                (self._l2, "l2_regularization_strength")]

    @staticmethod
    def _step(v, accum, lr, l1, l2, g):
        T = np.asarray(v).dtype.type
        lr, l1, l2 = T(lr), T(l1), T(l2)
        accum = accum + g * g
        lr_t = lr * (T(1) / np.sqrt(accum))
        return _fobos(v - g * lr_t, lr_t, l1, l2), accum

    # TF's SparseApplyProximalAdagrad: the gathered rows only
    _sparse_step = _step


class FtrlOptimizer(Optimizer):
    """FTRL-Proximal as TF's ApplyFtrl (ApplyFtrlV2 with ``l2_shrinkage``):
    ``new = accum + g^2``, ``linear += g - (new^-p - accum^-p) / lr * var`` (p the
    ``learning_rate_power``; with shrinkage g + 2 l2_shrinkage var there),
    ``var = (l1 sign(linear) - linear) / (new^-p / lr + 2 l2)`` where ``|linear| > l1``,
    else 0; ``accum = new``. Slots ``accum`` (starts at ``initial_accumulator_value``) and
    ``linear`` (checkpoint names ``var/Ftrl``, ``var/Ftrl_1``).

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable([1.0, -2.0])
    >>> train = tf.train.FtrlOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     _ = s.run(train)
    ...     print(s.run(w).round(6))
    [ 0.745053 -1.742689]
    """

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="Ftrl", accum_name=None, linear_name=None,
                 l2_shrinkage_regularization_strength=0.0, beta=None):
        for v, what in ((initial_accumulator_value, "initial_accumulator_value"),
                        (l1_regularization_strength, "l1_regularization_strength"),
                        (l2_regularization_strength, "l2_regularization_strength"),
                        (l2_shrinkage_regularization_strength,
                         "l2_shrinkage_regularization_strength")):
            if v < 0.0:
                raise ValueError(f"{what} {v:f} needs to be positive or zero")
        if learning_rate_power > 0.0:
            raise ValueError(f"learning_rate_power {learning_rate_power:f} needs to be "
                             f"negative or zero")
        super().__init__(use_locking, name)
        self._slot_prefixes = {"accum": accum_name or name, "linear": linear_name or name}
        self._learning_rate = learning_rate
        self._power = learning_rate_power
        self._initial = initial_accumulator_value
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength
        self._l2_shrinkage = l2_shrinkage_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._kernel_type = "ApplyFtrlV2" if self._l2_shrinkage > 0.0 else "ApplyFtrl"

    def _slot_specs(self):
        return [("accum", self._initial), ("linear", 0.0)]

    def _hyper_values(self):
        lr = self._learning_rate
        if self._beta == 0.0 and isinstance(lr, (int, float)):
            l2 = self._l2
        else:
            # TF's adjusted l2: l2 + beta / (2 max(lr, 1e-36)), a float32 tensor, or the
            # learning rate's dtype (a float64 tensor learning rate keeps a Python l2 in
            # float64: it was rounded through float32, 1e-10 off TF's)
            from . import math_ops as M
            if callable(lr) and not isinstance(lr, Tensor):
                lr = lr()
            l2 = self._l2 + self._beta / (2.0 * M.maximum(lr, 1e-36))
        hv = [(lr, "learning_rate"), (self._l1, "l1_regularization_strength"),
              (l2, "adjusted_l2_regularization_strength")]
        if self._l2_shrinkage > 0.0:
            hv.append((self._l2_shrinkage, "l2_shrinkage_regularization_strength"))
        return hv + [(self._power, "learning_rate_power")]

    def _step(self, v, accum, linear, lr, l1, l2, *rest):
        T = np.asarray(v).dtype.type
        if self._l2_shrinkage > 0.0:
            shrink, power, g = rest
            g_lin = g + T(2) * T(shrink) * v
        else:
            power, g = rest
            g_lin = g
        lr, l1, l2, power = T(lr), T(l1), T(l2), T(power)
        new_accum = accum + g * g
        if power == T(-0.5):
            new_p, old_p = np.sqrt(new_accum), np.sqrt(accum)
        else:
            new_p, old_p = new_accum ** -power, accum ** -power
        linear = linear + (g_lin - (new_p - old_p) / lr * v)
        x = l1 * _sign(linear) - linear
        y = new_p / lr + T(2) * l2
        with np.errstate(divide="ignore", invalid="ignore"):   # (0/0 where not selected)
            v = np.where(np.abs(linear) > l1, x / y, T(0)).astype(x.dtype, copy=False)
        return v, new_accum, linear

    # TF's SparseApplyFtrl(V2): the gathered rows only (a dense update with a zero
    # gradient sets var from linear everywhere: 0 on rows never reached)
    def _sparse_step(self, *args):
        return self._step(*args)


class AdagradDAOptimizer(Optimizer):
    """Adagrad Dual Averaging as TF's ApplyAdagradDA: ``g_acc += g``, ``gg_acc += g^2``,
    ``var = -lr * sign(g_acc) * max(|g_acc| - l1 t, 0) / (l2 t lr + sqrt(gg_acc))`` with
    ``t = global_step + 1`` (without l1: ``-lr * g_acc / (...)``). Slots
    ``gradient_accumulator`` and ``gradient_squared_accumulator`` (starts at
    ``initial_gradient_squared_accumulator_value``). Pass the same ``global_step`` to
    ``minimize``/``apply_gradients``, as in TF.

    >>> import ndgrad.tf as tf
    >>> step = tf.train.get_or_create_global_step()
    >>> w = tf.Variable([1.0, -2.0])
    >>> opt = tf.train.AdagradDAOptimizer(0.1, step)
    >>> train = opt.minimize(tf.reduce_sum(w * w), global_step=step)
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     _ = s.run(train)
    ...     print(s.run(w).round(6), s.run(step))
    [-0.098773  0.099689] 1
    """

    _kernel_type = "ApplyAdagradDA"

    def __init__(self, learning_rate, global_step,
                 initial_gradient_squared_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="AdagradDA"):
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError(f"initial_gradient_squared_accumulator_value must be "
                             f"positive: {initial_gradient_squared_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial = initial_gradient_squared_accumulator_value
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength
        self._global_step = global_step
        self._step_on_worker = {}     # graph -> global_step + 1 (TF's _prepare)

    def _slot_specs(self):
        return [("gradient_accumulator", 0.0), ("gradient_squared_accumulator", self._initial)]

    def _prepare(self):
        from . import math_ops as M
        self._step_on_worker[get_default_graph()] = M.identity(self._global_step) + 1

    def _extra_hypers(self, var):
        if _fw.executing_eagerly():
            return [int(np.asarray(_fw.eager_values(self._global_step))) + 1]
        return [self._step_on_worker[var.graph]]

    def _hyper_values(self):
        return [(self._learning_rate, "learning_rate"), (self._l1, "l1_regularization_strength"),
                (self._l2, "l2_regularization_strength")]

    @staticmethod
    def _step(v, g_acc, gg_acc, t, lr, l1, l2, g):
        T = np.asarray(v).dtype.type
        lr, l1, l2 = T(lr), T(l1), T(l2)
        tf32 = np.float32(t)        # (TF's kernel: static_cast<float>(global_step))
        g_acc = g_acc + g
        gg_acc = gg_acc + g * g
        denom = l2 * T(tf32 * lr if T is np.float32 else np.float64(tf32) * lr) + \
            np.sqrt(gg_acc)
        if l1 > 0:
            num = lr * T(-1) * _sign(g_acc) * np.maximum(np.abs(g_acc) - T(tf32) * l1, T(0))
        else:
            num = lr * g_acc * T(-1)
        return num / denom, g_acc, gg_acc

    # TF's SparseApplyAdagradDA: the gathered rows only (a dense update recomputes every
    # row from its accumulators: 0 on rows never reached)
    _sparse_step = _step


# -- global step ---------------------------------------------------------------------------
def get_global_step(graph=None):
    """The global step variable of ``graph`` (default: the default graph), or None.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.train.get_global_step())
    ...     step = tf.train.create_global_step()
    ...     print(tf.train.get_global_step() is step, step.name, step.dtype.base_dtype.name)
    None
    True global_step:0 int64
    """
    g = graph or get_default_graph()
    items = g.get_collection("global_step")
    if len(items) > 1:
        return None       # (TF logs "Multiple tensors in global_step collection.")
    if items:
        step = items[0]
    else:
        # TF's fallback: a tensor named 'global_step:0' (tf.Variable(0, name=
        # "global_step", trainable=False), the common TF 1 idiom)
        try:
            step = g.get_tensor_by_name("global_step:0")
        except (KeyError, ValueError):
            return None
    assert_global_step(step)
    return step


def assert_global_step(global_step_tensor):
    """TF's checks of a global step: a variable or tensor of an integer dtype and a
    scalar shape (a TypeError otherwise).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable(0.0, trainable=False, name="global_step")
    ...     try:
    ...         tf.train.get_global_step()
    ...     except TypeError as e:
    ...         print(e)
    Existing "global_step" does not have integer type: <dtype: 'float32_ref'>
    """
    if not isinstance(global_step_tensor, (_variables.Variable, Tensor)):
        raise TypeError(f'Existing "global_step" must be a Variable or Tensor: '
                        f'{global_step_tensor}.')
    if not global_step_tensor.dtype.base_dtype.is_integer:
        raise TypeError(f'Existing "global_step" does not have integer type: '
                        f'{global_step_tensor.dtype}')
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError(f'Existing "global_step" is not scalar: {shape}')


def create_global_step(graph=None):
    """A new ``global_step`` variable of ``graph``: an int64 scalar starting at 0, not
    trainable, in the ``global_step`` collection (a ValueError if there is one already).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     step = tf.train.create_global_step()
    ...     print(step.name, step.dtype.base_dtype.name, step in tf.trainable_variables())
    ...     try:
    ...         tf.train.create_global_step()
    ...     except ValueError as e:
    ...         print(e)
    global_step:0 int64 False
    "global_step" already exists.
    """
    g = graph or get_default_graph()
    if get_global_step(g) is not None:
        raise ValueError('"global_step" already exists.')
    with g.as_default(), g.name_scope(None):
        v = _variables.Variable(np.asarray(0, dtype=np.int64), trainable=False, name="global_step",
                         collections=["variables", "global_step"])
    return v


def get_or_create_global_step(graph=None):
    """The global step variable of ``graph``, created first if it has none.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(1.0)
    ...     step = tf.train.get_or_create_global_step()
    ...     train = tf.train.GradientDescentOptimizer(0.1).minimize(w * w, global_step=step)
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         for _ in range(2):
    ...             _ = s.run(train)
    ...         print(s.run(step), s.run(w), tf.train.get_or_create_global_step() is step)
    2 0.64 True
    """
    step = get_global_step(graph)    # (a Variable has no truth value: compare with None)
    return step if step is not None else create_global_step(graph)


def global_step(sess, global_step_tensor):
    """The value of ``global_step_tensor`` (a variable or its tensor, or its name) in
    ``sess``, as a Python int (TF's ``training_util.global_step``).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     step = tf.train.get_or_create_global_step()
    ...     with tf.Session() as s:
    ...         s.run(step.initializer)
    ...         print(tf.train.global_step(s, step))
    0
    """
    if isinstance(global_step_tensor, str):
        global_step_tensor = sess.graph.get_tensor_by_name(global_step_tensor)
    return int(sess.run(global_step_tensor))


# learning-rate schedules: ndgrad/tf/learning_rate_decay.py (TF's own module)
from .learning_rate_decay import (exponential_decay, piecewise_constant,  # noqa: E402,F401
                                  piecewise_constant_decay, polynomial_decay,
                                  natural_exp_decay, inverse_time_decay, cosine_decay,
                                  cosine_decay_restarts, linear_cosine_decay,
                                  noisy_linear_cosine_decay)


# checkpoints (TensorFlow's V2 format): ndgrad/tf/saver.py
from .saver import (Saver, latest_checkpoint, get_checkpoint_state,  # noqa: E402,F401
                    checkpoint_exists, load_checkpoint, list_variables, load_variable,
                    NewCheckpointReader, CheckpointState, update_checkpoint_state,
                    generate_checkpoint_state_proto, import_meta_graph,
                    export_meta_graph, init_from_checkpoint)
from .summary import summary_iterator, FileWriter as SummaryWriter  # noqa: E402,F401
from .graph_def import write_graph  # noqa: E402,F401


# -- the queue-based input pipeline (tf.train's names for it) ----------------------------
from .coordinator import Coordinator, LooperThread  # noqa: E402,F401
from .queue_runner import (QueueRunner, add_queue_runner,  # noqa: E402,F401
                           start_queue_runners)
from .input import (limit_epochs, input_producer, string_input_producer,  # noqa: E402,F401
                    range_input_producer, slice_input_producer, batch, shuffle_batch,
                    batch_join, shuffle_batch_join, maybe_batch)

queue_runner = __import__("types").SimpleNamespace(
    QueueRunner=QueueRunner, add_queue_runner=add_queue_runner,
    start_queue_runners=start_queue_runners)


def match_filenames_once(pattern, name=None):
    """A local variable holding the file names matching ``pattern`` (computed when it is
    initialized, with ``tf.local_variables_initializer()``, as in TensorFlow).

    >>> import os, tempfile, ndgrad.tf as tf
    >>> d = tempfile.mkdtemp()
    >>> for n in ("b.txt", "a.txt", "c.csv"):
    ...     open(os.path.join(d, n), "w").close()
    >>> with tf.Graph().as_default():
    ...     files = tf.train.match_filenames_once(os.path.join(d, "*.txt"))
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(sorted(os.path.basename(f) for f in s.run(files)))
    [b'a.txt', b'b.txt']
    """
    from .io_ops import matching_files
    g = get_default_graph()
    with g.name_scope(name or "matching_filenames"):
        return _variables.Variable(matching_files(pattern), trainable=False, validate_shape=False,
                            name="matching_filenames",
                            collections=[_variables.GraphKeys.LOCAL_VARIABLES])


_EXAMPLE_NAMES = ("Example", "Features", "Feature", "BytesList", "FloatList", "Int64List",
                  "FeatureList", "FeatureLists", "SequenceExample")


def __getattr__(name):
    if name in _EXAMPLE_NAMES:     # protobuf message classes, built on first use
        from .example_pb import messages
        return getattr(messages(), name)
    raise AttributeError(f"module 'ndgrad.tf.train' has no attribute {name!r}")

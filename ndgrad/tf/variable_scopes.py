"""``variable_scope``/``get_variable`` with TF 1's sharing rules (``reuse``, ``AUTO_REUSE``,
scope initializers and regularizers), as TF's ``variable_scope`` module (named in the plural
here: ``ndgrad.tf.variable_scope`` is the function)."""
from __future__ import annotations

import contextlib
import traceback

import numpy as np

from .._ops import registry as _registry
from ..graph.core import Tensor, get_default_graph
from ..graph.shape import as_shape
from . import framework as _fw
from .framework import np_dtype
from . import dtypes as _tfd
from .variables import GraphKeys, Variable
from .init_ops import Initializer, zeros_initializer, glorot_uniform_initializer

__all__ = []


def _export(f):
    __all__.append(f.__name__)
    return f


# -- variable scopes -----------------------------------------------------------------------
class _ReuseMode:
    def __repr__(self):
        return "_ReuseMode.AUTO_REUSE"


AUTO_REUSE = _ReuseMode()
__all__.append("AUTO_REUSE")


class VariableScope:
    """The current variable scope: its ``name`` prefix, ``reuse`` flag, initializer.

    >>> import ndgrad.tf as tf
    >>> with tf.variable_scope("model") as scope:
    ...     print(scope.name, scope.reuse)
    ...     scope.reuse_variables()
    ...     print(scope.reuse, tf.get_variable_scope().reuse)
    model False
    True True
    """

    def __init__(self, reuse, name="", initializer=None, dtype=np.float32,
                 name_scope="", regularizer=None, custom_getter=None):
        self._reuse = reuse
        self._name = name
        self.initializer = initializer
        self.dtype = dtype
        self._name_scope = name_scope
        self.regularizer = regularizer
        self.custom_getter = custom_getter

    @property
    def name(self):
        return self._name

    @property
    def original_name_scope(self):
        return self._name_scope

    @property
    def reuse(self):
        return self._reuse

    def reuse_variables(self):
        """From now on ``get_variable`` in this scope returns existing variables."""
        self._reuse = True

    def global_variables(self):
        """The global variables whose names start with this scope's (TF's
        ``VariableScope.global_variables``)."""
        from .variables import global_variables
        return global_variables(self._name or None)

    def trainable_variables(self):
        """The trainable variables whose names start with this scope's."""
        from .variables import trainable_variables
        return trainable_variables(self._name or None)

    def set_initializer(self, initializer):
        self.initializer = initializer

    def set_dtype(self, dtype):
        self.dtype = dtype

    def set_regularizer(self, regularizer):
        self.regularizer = regularizer

    def set_custom_getter(self, custom_getter):
        self.custom_getter = custom_getter

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None,
                     **kw):
        return get_variable(name, shape, dtype, initializer, **kw)

    def __repr__(self):
        return f"<VariableScope name={self._name!r} reuse={self._reuse!r}>"


__all__.append("VariableScope")


def _vs_state(g=None):
    g = g or get_default_graph()
    st = g.state.get("variable_scope")
    if st is None:
        st = g.state["variable_scope"] = {"current": VariableScope(False), "vars": {},
                                          "counts": {}}
    return st


@_export
def get_variable_scope():
    """The current ``VariableScope``.

    >>> import ndgrad.tf as tf
    >>> with tf.variable_scope("a"):
    ...     with tf.variable_scope("b"):
    ...         print(tf.get_variable_scope().name)
    a/b
    >>> tf.get_variable_scope().name
    ''
    """
    return _vs_state()["current"]


def _unique_var_scope(st, prefix):
    cur = st["current"].name
    name = cur + "/" + prefix if cur else prefix
    if st["counts"].get(name, 0) == 0:
        return prefix
    idx = 1
    while st["counts"].get(f"{name}_{idx}", 0) > 0:
        idx += 1
    return f"{prefix}_{idx}"


@_export
@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None,
                   custom_getter=None, reuse=None, dtype=None, use_resource=None,
                   constraint=None, auxiliary_name_scope=True):
    """Prefix ``get_variable`` names with a scope and control their reuse.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("layer"):
    ...         w = tf.get_variable("w", [2])
    ...     with tf.variable_scope("layer", reuse=True):
    ...         w2 = tf.get_variable("w")
    ...     print(w.name, w2 is w)
    layer/w:0 True
    """
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    _refuse_unsupported(partitioner=partitioner, constraint=constraint)
    if custom_getter is not None and not callable(custom_getter):
        raise ValueError(f"The custom_getter must be callable; got custom_getter "
                         f"{custom_getter!r} which is not callable:")
    if reuse is False:
        reuse = None
    if not (reuse is None or reuse is True or reuse is AUTO_REUSE):
        raise ValueError(f"The reuse parameter must be True or False or None, not {reuse!r}")
    g = get_default_graph()
    st = _vs_state(g)
    old = st["current"]
    if isinstance(name_or_scope, VariableScope):
        new_name = name_or_scope.name
        # TF opens a fresh name scope named after the scope's last part (``vs_1`` on
        # re-entering ``vs``); its variables still go to ``vs/``
        ns = new_name.split("/")[-1] if new_name else ""
        new_reuse = reuse if reuse is not None else name_or_scope.reuse
        init = initializer if initializer is not None else name_or_scope.initializer
        dt = dtype if dtype is not None else name_or_scope.dtype
        reg = regularizer if regularizer is not None else name_or_scope.regularizer
        getter = _compose_getters(custom_getter, name_or_scope.custom_getter)
    else:
        if name_or_scope is not None:
            if not isinstance(name_or_scope, str):
                raise TypeError(f"VariableScope: name_or_scope must be a string or "
                                f"VariableScope, not {name_or_scope!r}")
            name = name_or_scope
        else:
            name = _unique_var_scope(st, default_name)
        new_name = old.name + "/" + name if old.name else name
        # TF's name scope: the name given, or the default name (each made unique by the
        # graph on its own: ``net_2/`` ops for variables under ``net_1/`` where a
        # re-entered scope took the name scope ``net_1``)
        ns = name_or_scope if name_or_scope is not None else default_name
        new_reuse = reuse or old.reuse
        init = initializer if initializer is not None else old.initializer
        dt = dtype if dtype is not None else old.dtype
        reg = regularizer if regularizer is not None else old.regularizer
        getter = _compose_getters(custom_getter, old.custom_getter)
    counts = st["counts"]
    counts[new_name] = counts.get(new_name, 0) + 1
    # TF's subscope counting (variable_scope.py's _pure_variable_scope): leaving a scope
    # entered by name resets its subscopes' counts, so that re-entering ``D`` names its
    # default-named subscopes (layers) ``D/dense``, ``D/dense_1`` ... again, as the first
    # time (reusing a network's variables needs this); leaving one entered as a
    # VariableScope object puts back the counts it found
    entry_counts = dict(counts) if isinstance(name_or_scope, VariableScope) else None
    with g.as_default():
        cm = g.name_scope(ns) if auxiliary_name_scope else contextlib.nullcontext(
            g.get_name_scope() + "/" if g.get_name_scope() else "")
        with cm as scope_name:
            new = VariableScope(new_reuse, new_name, init, dt, name_scope=scope_name,
                                regularizer=reg, custom_getter=getter)
            st["current"] = new
            try:
                yield new
            finally:
                st["current"] = old
                if entry_counts is not None:
                    counts.clear()
                    counts.update(entry_counts)
                else:
                    sub = new_name + "/"
                    for k in counts:
                        if k.startswith(sub):
                            counts[k] = 0


def _refuse_unsupported(partitioner=None, constraint=None):
    """Options ndgrad.tf would otherwise drop silently."""
    if partitioner is not None:
        raise ValueError("ndgrad.tf has no partitioned variables: partitioner="
                         f"{partitioner!r} is not supported (drop it: one variable holds "
                         "the same values)")
    if constraint is not None:
        raise ValueError("ndgrad.tf's optimizers do not apply variable constraints: "
                         f"constraint={constraint!r} is not supported")


def _compose_getters(getter, outer):
    """TF's nesting: an inner scope's custom getter receives the outer one's (wrapped
    around the true getter) as its ``getter``."""
    if getter is None:
        return outer
    if outer is None:
        return getter

    def composed(true_getter, *args, **kwargs):
        return getter(lambda *a, **k: outer(true_getter, *a, **k), *args, **kwargs)
    return composed


@_export
def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None,
                 constraint=None, synchronization=None, aggregation=None):
    """The variable ``scope/name``: created if new, shared when the scope reuses.

    A ValueError when it exists and the scope does not reuse, when it is missing and the
    scope reuses (True), or when the shape or dtype differ from the existing one's. The
    scope's ``regularizer`` applies when none is given; ``custom_getter`` (and the
    scopes') is called as ``custom_getter(getter, name, *args, **kwargs)`` with the full
    name, as TF's.

    >>> import ndgrad.tf as tf
    >>> with tf.variable_scope("s", regularizer=lambda v: tf.reduce_sum(v)):
    ...     v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    >>> v.name, len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
    ('s/v:0', 1)
    """
    _refuse_unsupported(partitioner=partitioner, constraint=constraint)
    if custom_getter is not None and not callable(custom_getter):
        raise ValueError(f"The custom_getter must be callable; got custom_getter "
                         f"{custom_getter!r} which is not callable:")
    scope = _vs_state()["current"]
    full = scope.name + "/" + name if scope.name else name
    getter = _compose_getters(custom_getter, scope.custom_getter)
    kwargs = dict(shape=shape, dtype=dtype, initializer=initializer,
                  regularizer=regularizer, trainable=trainable, collections=collections,
                  caching_device=caching_device, partitioner=partitioner,
                  validate_shape=validate_shape, use_resource=use_resource,
                  constraint=constraint, synchronization=synchronization,
                  aggregation=aggregation)
    if getter is not None:
        kwargs["reuse"] = scope.reuse  # TF's getters receive it (the true getter ignores it)
        return getter(_true_getter, full, **kwargs)
    return _true_getter(full, **kwargs)


@_export
def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                       trainable=False, collections=None, caching_device=None,
                       partitioner=None, validate_shape=True, use_resource=None,
                       custom_getter=None, constraint=None, synchronization=None,
                       aggregation=None):
    """``get_variable`` for a local variable: in LOCAL_VARIABLES (and ``collections``),
    not in GLOBAL_VARIABLES, not trainable (TF's).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.get_local_variable("count", [], initializer=tf.zeros_initializer())
    ...     print(v.name, tf.local_variables() == [v], tf.global_variables())
    count:0 True []
    """
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                        regularizer=regularizer, trainable=False,
                        collections=list(collections or []) + [GraphKeys.LOCAL_VARIABLES],
                        caching_device=caching_device, partitioner=partitioner,
                        validate_shape=validate_shape, use_resource=use_resource,
                        custom_getter=custom_getter, constraint=constraint,
                        synchronization=synchronization, aggregation=aggregation)


def _true_getter(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, constraint=None,
                 synchronization=None, aggregation=None, **unused):
    """get_variable's work for the full name ``name`` (the getter custom getters call)."""
    _refuse_unsupported(partitioner=partitioner, constraint=constraint)
    g = get_default_graph()
    st = _vs_state(g)
    scope = st["current"]
    full = name
    if regularizer is None:
        regularizer = scope.regularizer
    reuse = scope.reuse
    store = st["vars"]
    want_shape = None if shape is None else as_shape(shape)
    if full in store:
        if reuse is not True and reuse is not AUTO_REUSE:
            raise ValueError(f"Variable {full} already exists, disallowed. Did you mean to "
                             "set reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally "
                             f"defined at:\n\n{st.get('origins', {}).get(full, '')}")
        found = store[full]
        if want_shape is not None and not want_shape.is_compatible_with(found.get_shape()):
            raise ValueError(f"Trying to share variable {full}, but specified shape "
                             f"{want_shape} and found shape {found.get_shape()}.")
        if dtype is not None and np_dtype(dtype) != found._np_dtype:
            raise ValueError(f"Trying to share variable {full}, but specified dtype "
                             f"{_tfd.as_dtype(dtype).name} and found dtype "
                             f"{found.dtype.base_dtype.name}.")
        return found
    if reuse is True:
        raise ValueError(f"Variable {full} does not exist, or was not created with "
                         "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                         "VarScope?")
    if isinstance(initializer, _registry.Array):
        initializer = _fw.eager_values(initializer)   # an eager tensor: its values (TF's)
    if initializer is not None and not callable(initializer):
        init_dt = (initializer._np_dtype if isinstance(initializer, Tensor) else
                   _fw.to_numpy_value(initializer).dtype)
        if dtype is not None and np_dtype(dtype) != init_dt:
            raise ValueError(f"Initializer type '{_tfd.of_numpy(init_dt)!r}' and explicit "
                             f"dtype '{_tfd.as_dtype(dtype)!r}' don't match.")
        dtype = init_dt
    dt = np_dtype(dtype if dtype is not None else scope.dtype)
    if initializer is None:
        initializer = scope.initializer
    if initializer is None:
        initializer = glorot_uniform_initializer() if dt.kind in "fc" else \
            zeros_initializer()
    if isinstance(initializer, type) and issubclass(initializer, Initializer):
        initializer = initializer()
    if callable(initializer) and not isinstance(initializer, Tensor):
        if want_shape is None or not want_shape.is_fully_defined():
            raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but "
                             f"instead was {want_shape if want_shape is not None else '<unknown>'}.")
        shp = want_shape.as_list()

        def init_val():
            return initializer(shp, dtype=dt, partition_info=None)
    else:
        if want_shape is not None and isinstance(initializer, Tensor):
            raise ValueError("If initializer is a constant, do not specify shape.")
        if want_shape is not None:
            arr = _fw.to_numpy_value(initializer, dt)
            if not want_shape.is_compatible_with(arr.shape):
                raise ValueError(f"Trying to create variable {full} of shape {want_shape} "
                                 f"from an initial value of shape {arr.shape}")
            initializer = arr
        init_val = initializer
    if trainable is None:
        trainable = True
    with g.name_scope(None):
        v = Variable(init_val, trainable=trainable, collections=collections, name=full,
                     dtype=dt, validate_shape=validate_shape)
    st.setdefault("origins", {})[full] = "".join(traceback.format_stack(limit=4)[:-1])
    store[full] = v
    if regularizer is not None:
        # TF: the penalty, built in "<var>/Regularizer", joins REGULARIZATION_LOSSES
        with g.name_scope(None), g.name_scope(full + "/Regularizer/"):
            penalty = regularizer(v)
        if penalty is not None:
            g.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, penalty)
    return v


@_export
def no_regularizer(_):
    """A regularizer that adds no penalty: it turns off a scope's regularizer for one
    variable.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("s", regularizer=tf.nn.l2_loss):
    ...         a = tf.get_variable("a", [2])
    ...         b = tf.get_variable("b", [2], regularizer=tf.no_regularizer)
    ...     print(len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))
    1
    """
    return None


def traced_once(fn):
    """``fn`` for a loop body that TensorFlow builds once and ndgrad.tf calls once per
    element (``map_fn`` unrolled): the first call creates its variables as TF's one trace
    does; each later call gets the same ones -- its variable scope reuses, and the scope
    counts are those the first call found, so default-named scopes (``tf.layers.dense``'s
    ``dense``) get the first call's names -- and a variable that a later call would still
    create (a ``tf.Variable``) raises instead of giving each element weights of its own.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     f = traced_once(lambda x: tf.layers.dense(x, 2))
    ...     a, b = f(tf.ones((1, 3))), f(tf.ones((1, 3)))
    ...     print([v.name for v in tf.trainable_variables()])
    ['dense/kernel:0', 'dense/bias:0']
    """
    from .variables import GraphKeys
    seen = {}

    def count(g):
        return (len(g.get_collection(GraphKeys.GLOBAL_VARIABLES)) +
                len(g.get_collection(GraphKeys.LOCAL_VARIABLES)))

    def call(*args, **kwargs):
        g = get_default_graph()
        st = _vs_state(g)
        counts = st["counts"]
        if "after" not in seen:
            seen["before"] = dict(counts)
            out = fn(*args, **kwargs)
            seen["after"] = dict(counts)
            return out
        old = st["current"]
        n = count(g)
        counts.clear()
        counts.update(seen["before"])
        st["current"] = VariableScope(
            AUTO_REUSE if old.reuse is AUTO_REUSE else True, old.name, old.initializer,
            old.dtype, name_scope=old.original_name_scope, regularizer=old.regularizer,
            custom_getter=old.custom_getter)
        try:
            out = fn(*args, **kwargs)
        finally:
            st["current"] = old
            counts.clear()
            counts.update(seen["after"])
        if count(g) != n:
            raise ValueError("map_fn: fn creates a variable on each call (a tf.Variable); "
                             "TensorFlow builds fn once, so every element would share one "
                             "variable: create it outside fn, or with tf.get_variable")
        return out
    return call

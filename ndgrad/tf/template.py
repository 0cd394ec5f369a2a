"""``tf.make_template``: a function whose ``tf.get_variable`` calls make variables the
first time it runs and share them on every later call (TF's ``Template``)."""
from __future__ import annotations

import functools

from . import framework as _fw
from . import variable_scopes as _vs
from .framework import get_default_graph
from .variables import GraphKeys

__all__ = ["make_template", "Template"]


class Template:
    """The callable ``make_template`` returns (TF's ``Template``): the first call enters
    its variable scope without reuse, each later call with reuse; a later call that makes
    a new trainable variable (``tf.Variable`` where ``tf.get_variable`` was meant) is a
    ValueError. ``variables``, ``trainable_variables`` ... are those under its scope.
    """

    def __init__(self, name, func, create_scope_now=False, unique_name=None,
                 custom_getter=None):
        if name is None:
            raise ValueError("name cannot be None.")
        self._eager = _fw.executing_eagerly()
        if self._eager and unique_name is not None:
            # (TF's message, its spelling kept: programs match on it)
            raise ValueError("unique_name_ cannot be used when eager exeuction is enabled.")
        self._seen = {}    # (eager: the variables its get_variable calls gave, in order)
        self._func = func
        self._name = name
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._variable_scope = None
        if create_scope_now:
            # (TF's pure variable scope: a unique scope name, no name scope opened)
            with _vs.variable_scope(unique_name, default_name=name,
                                    custom_getter=(self._getter if self._eager
                                                   else custom_getter),
                                    auxiliary_name_scope=False) as vs:
                self._variable_scope = vs
        self._variables_created = False
        self._first_call = True

    def _getter(self, getter, name, *args, **kwargs):
        """(eager) The user's custom getter, and the variable it gives noted as one of
        the template's."""
        if self._custom_getter is not None:
            v = self._custom_getter(getter, name, *args, **kwargs)
        else:
            v = getter(name, *args, **kwargs)
        self._seen.setdefault(id(v), v)
        return v

    def _eager_call(self, args, kwargs):
        # TF's EagerTemplate: later calls reuse what exists and may make new variables,
        # but no new trainable one; its variables are those its get_variable calls gave
        if self._variable_scope is not None:   # (its scope holds self._getter)
            cm = _vs.variable_scope(self._variable_scope,
                                    reuse=_vs.AUTO_REUSE if self._variables_created
                                    else None)
        else:
            cm = _vs.variable_scope(None, self._name, custom_getter=self._getter)
        with cm as vs:
            if self._variable_scope is None:
                self._variable_scope = vs
            before = len(self.trainable_variables)
            result = self._func(*args, **kwargs)
            if self._variables_created and len(self.trainable_variables) != before:
                raise ValueError("Trainable variable created when calling a template "
                                 "after the first time, perhaps you used tf.Variable "
                                 "when you meant tf.get_variable: "
                                 f"{self.trainable_variables[before:]}")
            self._variables_created = True
            return result

    def _call_func(self, args, kwargs):
        if self._variables_created:
            g = get_default_graph()
            trainable_at_start = len(g.get_collection(GraphKeys.TRAINABLE_VARIABLES))
            result = self._func(*args, **kwargs)
            trainable = g.get_collection(GraphKeys.TRAINABLE_VARIABLES)
            if len(trainable) != trainable_at_start:
                raise ValueError("Trainable variable created when calling a template "
                                 "after the first time, perhaps you used tf.Variable "
                                 "when you meant tf.get_variable: "
                                 f"{trainable[trainable_at_start:]}")
            return result
        self._first_call = False
        try:
            result = self._func(*args, **kwargs)
        except BaseException:
            self._first_call = True
            raise
        self._variables_created = True
        return result

    def __call__(self, *args, **kwargs):
        if self._eager:
            return self._eager_call(args, kwargs)
        if self._variable_scope is not None:
            with _vs.variable_scope(self._variable_scope,
                                    reuse=True if not self._first_call else None):
                return self._call_func(args, kwargs)
        with _vs.variable_scope(self._unique_name, self._name,
                                custom_getter=self._custom_getter) as vs:
            self._variable_scope = vs
            return self._call_func(args, kwargs)

    @property
    def name(self):
        """The name given to ``make_template``."""
        return self._name

    @property
    def func(self):
        """The function the template runs."""
        return self._func

    @property
    def variable_scope(self):
        """Its variable scope (None before the first call, unless made at once)."""
        return self._variable_scope

    var_scope = variable_scope

    @property
    def variable_scope_name(self):
        """Its scope's name with a trailing ``/`` (the prefix of its variables' names)."""
        if self._variable_scope is None:
            return None
        name = self._variable_scope.name
        return name if not name or name.endswith("/") else name + "/"

    def _collection(self, key):
        if not self._variables_created:
            return []
        if self._eager:
            seen = list(self._seen.values())
            if key == GraphKeys.TRAINABLE_VARIABLES:
                return [v for v in seen if v.trainable]
            return seen if key == GraphKeys.GLOBAL_VARIABLES else []
        return get_default_graph().get_collection(key, self.variable_scope_name)

    @property
    def global_variables(self):
        return self._collection(GraphKeys.GLOBAL_VARIABLES)

    @property
    def local_variables(self):
        return self._collection(GraphKeys.LOCAL_VARIABLES)

    @property
    def trainable_variables(self):
        return self._collection(GraphKeys.TRAINABLE_VARIABLES)

    @property
    def non_trainable_variables(self):
        trainable = {id(v) for v in self.trainable_variables}   # (by identity: an eager
        return [v for v in self.global_variables if id(v) not in trainable]   # == is values)

    @property
    def variables(self):
        """Its global and local variables."""
        return self.global_variables + self.local_variables

    weights = variables
    trainable_weights = trainable_variables
    non_trainable_weights = non_trainable_variables


def make_template(name_, func_, create_scope_now_=False, unique_name_=None,
                  custom_getter_=None, **kwargs):
    """``func_`` (with ``kwargs`` bound) wrapped so that its ``tf.get_variable`` calls
    make variables under ``name_`` on the first call and share them afterwards.

    >>> import ndgrad.tf as tf
    >>> def dense(x):
    ...     w = tf.get_variable("w", [2, 2], initializer=tf.ones_initializer())
    ...     return tf.matmul(x, w)
    >>> with tf.Graph().as_default():
    ...     layer = tf.make_template("layer", dense)
    ...     a, b = layer(tf.ones([1, 2])), layer(tf.zeros([1, 2]))
    ...     print([v.name for v in tf.global_variables()], layer.variable_scope_name)
    ['layer/w:0'] layer/
    """
    func = functools.partial(func_, **kwargs) if kwargs else func_
    if kwargs:
        functools.update_wrapper(func, func_)
    return Template(name_, func, create_scope_now=create_scope_now_,
                    unique_name=unique_name_, custom_getter=custom_getter_)

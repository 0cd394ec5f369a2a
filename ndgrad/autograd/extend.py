"""autograd's extension API: ``primitive`` with ``defvjp`` / ``defjvp`` (and their
``_argnum`` forms), ``notrace_primitive``, ``Box``, ``VSpace`` / ``vspace``.

A primitive becomes an ndgrad op whose rule calls the user's VJP makers. First-order
backward hands them untracked arrays; higher-order (and forward-mode) differentiation
hands them recorded arrays, so a VJP written with ``ndgrad.autograd.numpy`` is itself
differentiated: user primitives work in reverse and forward mode and to any order. A
primitive given only JVPs gets its VJP by transposing the (linear) JVP.
"""
from __future__ import annotations

import collections.abc
import functools
import warnings
import weakref

import numpy as _onp

from .._ops import registry as _registry
from .._ops.registry import apply, grad_state, wrap, saved_grad_mode, restore_grad_mode
from .._autograd.functional import input_buffer
from .._autograd.forward_mode import note_user_rule
from .._autograd.pytree import flatten
from .._autograd.backward import read_only
from .vspace import VSpace, ArrayVSpace, ContainerVSpace, vspace  # noqa: F401
from .wrap_util import subvals

__all__ = ["primitive", "notrace_primitive", "defvjp", "defvjp_argnum", "defvjp_argnums",
           "defjvp", "defjvp_argnum", "defjvp_argnums", "def_linear", "Box", "VSpace",
           "vspace", "SparseObject", "primitive_vjps", "primitive_jvps"]


class _BoxMeta(type):
    def __instancecheck__(cls, x):
        return isinstance(x, _registry.Array) and x._node is not None


class Box(metaclass=_BoxMeta):
    """What autograd calls a traced value. In ndgrad a traced value is an ordinary array
    that records, so ``isinstance(x, Box)`` asks "is ``x`` being differentiated now?".

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> seen = []
    >>> _ = ag.grad(lambda x: seen.append(isinstance(x, Box)) or x * 2.0)(1.0)
    >>> seen, isinstance(np.ones(2), Box)
    ([True], False)
    """


SparseObject = None  # autograd's sparse gradient objects: ndgrad's gradients are dense


class _NoGrad:
    def __init__(self, on=True):
        self.on = on

    def __enter__(self):
        self.prev = saved_grad_mode()
        if self.on:
            grad_state.enabled = False

    def __exit__(self, *e):
        restore_grad_mode(self.prev)


def _detach(x):
    if isinstance(x, _registry.Array):
        return wrap(x._data) if x._node is not None else x
    if isinstance(x, (list, tuple, dict)):
        leaves, rebuild = flatten(x)
        if any(isinstance(l, _registry.Array) and l._node is not None for l in leaves):
            return rebuild([_detach(l) for l in leaves])
    return x


def _kept(a):
    """An argument a primitive's rule reads when backward runs, safe from writes made in
    between: an untraced ndgrad array is marked saved (an ndgrad write into it copies
    first) or, when NumPy code shares its buffer, copied; a NumPy array is copied; traced
    arrays stay (the registry saves their buffers)."""
    if isinstance(a, _registry.Array):
        if a._node is not None:
            return a
        # (the buffer itself, not ``a``: ``a`` moves to a copy at a write)
        return wrap(input_buffer(a))
    if isinstance(a, _onp.ndarray):
        return a.copy()
    if isinstance(a, (list, tuple, dict)):
        leaves, rebuild = flatten(a)
        if any(isinstance(l, (_registry.Array, _onp.ndarray)) for l in leaves):
            return rebuild([_kept(l) for l in leaves])
    return a


def _is_traced(x):
    return isinstance(x, _registry.Array) and x._node is not None


def _lift(d):
    """An Array for a rule's raw backend value (no recording node)."""
    return d if isinstance(d, _registry.Array) or d is None else wrap(d)


class _Call:
    """One traced call: where the array leaves sit in the arguments, how to rebuild."""
    __slots__ = ("args", "kwargs", "slots", "out_rebuild", "out", "multi")

    def __init__(self, args, kwargs, slots):
        self.args = args      # the arguments with array leaves still in place
        self.kwargs = kwargs
        self.slots = slots    # per op input: (argnum, rebuild-of-that-arg, leaf index)


def _forward_stashed(xp, *datas, _call, _needs=None):
    out = _call.out
    _call.out = None  # the node keeps the answer itself; don't hold a second reference
    return out


class Primitive:
    """A function autograd treats as one step: called on untracked values, differentiated
    only through the rules given with ``defvjp`` / ``defjvp``."""

    def __init__(self, fun):
        self.fun = fun
        self.vjps = {}
        self.vjp_argnum = None
        self.vjp_argnums = None
        self.jvps = {}
        self.jvp_argnum = None
        self._ops = {}
        functools.update_wrapper(self, fun)
        _PRIMITIVES.add(self)

    def __repr__(self):
        return f"<autograd primitive {getattr(self.fun, '__name__', self.fun)}>"

    # --- autograd's pre-1.2 rule API (deprecated there, still accepted) ---
    def defgrad(self, gradmaker, argnum=0):
        """Deprecated form of ``defvjp(fun, ..., argnums=[argnum])``:
        ``gradmaker(ans, *args, **kwargs)`` returns ``g -> cotangent``."""
        warnings.warn(_DEPRECATED.format("defgrad"))
        self.vjps[argnum] = gradmaker

    def defvjp(self, vjpfun, argnum=0):
        """Deprecated unstaged form: ``vjpfun(g, ans, vs, gvs, *args, **kwargs)``
        (``vs``, ``gvs``: the vector spaces of the argument and of ``g``)."""
        warnings.warn(_DEPRECATED.format("defvjp"))

        def maker(ans, *args, **kwargs):
            def vjp(g):
                return vjpfun(g, ans, vspace(args[argnum]), vspace(g), *args, **kwargs)
            return vjp
        self.vjps[argnum] = maker

    def defvjp_is_zero(self, argnums=(0,)):
        """Deprecated: the VJP with respect to each of ``argnums`` is zero."""
        warnings.warn(_DEPRECATED.format("defvjp_is_zero"))
        for argnum in argnums:
            self.vjps[argnum] = functools.partial(_zero_vjp, argnum)

    def __get__(self, obj, objtype=None):
        return self if obj is None else functools.partial(self, obj)

    def _op(self, multi):
        op = self._ops.get(multi)
        if op is None:
            name = f"autograd_primitive:{getattr(self.fun, '__name__', 'fun')}"
            op = _registry.Op(name, _forward_stashed, self._rule, save="both", multi=multi)
            self._ops[multi] = op
        return op

    def __call__(self, *args, **kwargs):
        if not grad_state.enabled:
            return self.fun(*args, **kwargs)
        slots, inputs = [], []
        for argnum, a in enumerate(args):
            if isinstance(a, _registry.Array):
                if a._node is not None:
                    slots.append((argnum, None, 0))
                    inputs.append(a)
            elif isinstance(a, (list, tuple, dict)):
                leaves, rebuild = flatten(a)
                for k, l in enumerate(leaves):
                    if _is_traced(l):
                        slots.append((argnum, rebuild, k))
                        inputs.append(l)
        for k, v in kwargs.items():
            if _is_traced(_detach_probe(v)):
                raise TypeError(f"{self!r}: keyword argument {k!r} is being differentiated; "
                                "autograd differentiates positional arguments only (pass it "
                                "positionally)")
        if not inputs:
            return self.fun(*args, **kwargs)
        with _NoGrad():
            out = self.fun(*[_detach(a) for a in args], **kwargs)
        out_leaves, out_rebuild = flatten(out)
        if isinstance(out, (list, tuple, dict)):
            multi = True
        else:
            multi = False
        datas, kinds = [], []
        for o in out_leaves:
            if not isinstance(o, _registry.Array):
                if isinstance(o, (_onp.ndarray, _onp.generic, float, complex, int)) and \
                        not isinstance(o, bool):
                    import ndgrad as nd
                    o = nd.asarray(o)
                else:
                    return out  # not an array result (a string, None ...): nothing to trace
            datas.append(o._data)
            kinds.append(o.dtype.kind)
        if not datas or not any(k in "fc" for k in kinds):
            return out  # integer / boolean results have no gradient
        call = _Call(tuple(_kept(a) for a in args), {k: _kept(v) for k, v in kwargs.items()},
                     slots)
        call.out = tuple(datas) if multi else datas[0]
        call.out_rebuild = out_rebuild
        call.multi = multi
        res = apply(self._op(multi), tuple(inputs), {"_call": call})
        return out_rebuild(list(res)) if multi else res

    # --- the rule: cotangent of the output -> cotangents of the traced leaves ---
    def _rule(self, xp, g, ans, *inputs, _call, _needs):
        create = _any_array(g)
        if create:
            note_user_rule("autograd primitive", self.fun)
        inputs = [_lift(d) for d in inputs]
        if _call.multi:
            ans = _call.out_rebuild([_lift(a) for a in ans])
            g = _call.out_rebuild([_lift(x) for x in g])
        else:
            if type(g) is _onp.ndarray and g.flags.writeable:
                # the vjp reads the cotangent; a write into it would reach other nodes'
                # cotangents (add's rule sends one array to both operands): an error
                g = g.view()
                g.flags.writeable = False
            ans, g = _lift(ans), _lift(g)
        args = self._rebuild_args(_call, inputs)
        wanted = sorted({argnum for (argnum, _, _), need in zip(_call.slots, _needs) if need})
        with _NoGrad(on=not create):
            per_arg = self._arg_grads(wanted, ans, args, _call.kwargs, g)
        out = []
        for (argnum, rebuild, k), need, x in zip(_call.slots, _needs, inputs):
            if not need:
                out.append(None)
                continue
            gi = per_arg[argnum]
            if rebuild is not None:
                gl, _ = flatten(gi)
                gi = gl[k]
            out.append(self._as_cotangent(gi, x, argnum, create))
        return tuple(out)

    def _rebuild_args(self, call, inputs):
        args = list(call.args)
        by_arg = {}
        for (argnum, rebuild, k), x in zip(call.slots, inputs):
            if rebuild is None:
                args[argnum] = x
            else:
                by_arg.setdefault(argnum, (rebuild, {}))[1][k] = x
        for argnum, (rebuild, repl) in by_arg.items():
            leaves, _ = flatten(call.args[argnum])
            args[argnum] = rebuild([repl.get(k, _detach(l)) for k, l in enumerate(leaves)])
        return [_detach(a) if i not in by_arg and not isinstance(a, _registry.Array) else a
                for i, a in enumerate(args)]

    def _arg_grads(self, wanted, ans, args, kwargs, g):
        if self.vjp_argnums is not None:
            res = self.vjp_argnums(tuple(wanted), ans, tuple(args), kwargs)(g)
            return dict(zip(wanted, res))
        grads = {}
        for argnum in wanted:
            maker = self.vjps.get(argnum)
            if maker is not None:
                grads[argnum] = maker(ans, *args, **kwargs)(g)
            elif self.vjp_argnum is not None:
                grads[argnum] = self.vjp_argnum(argnum, ans, tuple(args), kwargs)(g)
            elif self._jvp_for(argnum) is not None:
                grads[argnum] = self._vjp_from_jvp(argnum, ans, args, kwargs, g)
            else:
                raise NotImplementedError(
                    f"VJP of {getattr(self.fun, '__name__', self.fun)} with respect to "
                    f"argnum {argnum} is not defined (give it with defvjp)")
        return grads

    def _jvp_for(self, argnum):
        j = self.jvps.get(argnum)
        if j is not None:
            return j
        if self.jvp_argnum is not None:
            j = functools.partial(_call_jvp_argnum, self.jvp_argnum, argnum)
            j._same = getattr(self.jvp_argnum, "_same", False)
            return j
        return None

    def _vjp_from_jvp(self, argnum, ans, args, kwargs, g):
        # the JVP is linear in its tangent t; the VJP is its transpose: grad_t <jvp(t), g>
        jvp = self._jvp_for(argnum)
        if getattr(jvp, "_same", False):
            raise NotImplementedError(
                f"{self!r} has only a 'same' (linear) JVP for argnum {argnum}, which cannot "
                "be transposed without a VJP of the function itself: give one with defvjp")
        from .._autograd.functional import vjp as _vjp
        import ndgrad as nd
        x = args[argnum]
        zero = nd.zeros_like(nd.asarray(x)) if not isinstance(x, (list, tuple, dict)) else \
            ContainerVSpace(x).zeros()
        _, pb = _vjp(lambda t: jvp(t, ans, *args, **kwargs), zero)
        return pb(g)[0]

    def _as_cotangent(self, gi, x, argnum, create):
        import ndgrad as nd
        if gi is None:
            return None
        if not isinstance(gi, _registry.Array):
            if create and isinstance(gi, (_onp.ndarray, _onp.generic)) and _onp.any(gi != 0):
                raise TypeError(
                    f"the VJP of {self!r} for argnum {argnum} returned a NumPy array, so it "
                    "cannot be differentiated again (higher order or forward mode); write "
                    "it with ndgrad.autograd.numpy")
            gi = nd.asarray(gi, device=x.device)
        if gi.dtype != x.dtype and x.dtype.kind in "fc":
            if gi.dtype.kind == "c" and x.dtype.kind == "f":
                gi = nd.real(gi)
            gi = nd.astype(gi, x.dtype)
        if gi.shape == () and x.shape != ():
            gi = nd.broadcast_to(gi, x.shape)
        return gi if create else read_only(gi._data)


_DEPRECATED = ("{} is deprecated in autograd (see its update guide, docs/updateguide.md); "
               "use defvjp(fun, *vjpmakers) from autograd.extend")


def _zero_vjp(argnum, ans, *args, **kwargs):
    def vjp(g):
        return vspace(args[argnum]).zeros()
    return vjp


def _any_array(g):
    if isinstance(g, _registry.Array):
        return True
    if isinstance(g, (list, tuple)):
        return any(isinstance(x, _registry.Array) for x in g)
    return False


def _detach_probe(v):
    if isinstance(v, (list, tuple, dict)):
        leaves, _ = flatten(v)
        for l in leaves:
            if _is_traced(l):
                return l
        return None
    return v


def _call_jvp_argnum(jvp_argnum, argnum, g, ans, *args, **kwargs):
    return jvp_argnum(argnum, g, ans, tuple(args), kwargs)


_PRIMITIVES = weakref.WeakSet()


class _Rules(collections.abc.MutableMapping):
    """autograd's ``primitive_vjps`` / ``primitive_jvps`` tables: primitive -> its rules.
    They list the primitives made with ``primitive``; ndgrad's own functions keep their
    rules beside their forward code (``ndgrad/_ops``) and are never listed here, so
    ``pop(np.sin, None)`` gives ``None`` and leaves ``np.sin`` differentiable."""
    def __init__(self, attrs):
        self._attrs = attrs  # the Primitive attributes that hold this table's rules

    def _state(self, fun):
        return {a: getattr(fun, a) for a in self._attrs}

    def _has(self, fun):
        return any(self._state(fun).values())

    def __getitem__(self, fun):
        if not (isinstance(fun, Primitive) and self._has(fun)):
            raise KeyError(fun)
        return self._state(fun)

    def __setitem__(self, fun, rules):
        _need_primitive(fun, "primitive_vjps[fun] = ...")
        if not isinstance(rules, dict) or set(rules) != set(self._attrs):
            raise TypeError(f"a rules table entry is what pop() returned for a primitive (a "
                            f"dict with keys {sorted(self._attrs)}); got {rules!r}. To define "
                            "rules, use defvjp / defjvp")
        for a in self._attrs:
            setattr(fun, a, dict(rules[a]) if isinstance(rules[a], dict) else rules[a])

    def __delitem__(self, fun):
        self[fun]  # KeyError when absent
        for a in self._attrs:
            setattr(fun, a, {} if isinstance(getattr(fun, a), dict) else None)

    def __iter__(self):
        return iter([f for f in list(_PRIMITIVES) if self._has(f)])

    def __len__(self):
        return len(list(iter(self)))

    def pop(self, fun, *default):
        """Remove and return ``fun``'s rules (to put back later with ``table[fun] = rules``).

        >>> import ndgrad.autograd as ag
        >>> f = primitive(lambda x: 2.0 * x)
        >>> defvjp(f, lambda ans, x: lambda g: 2.0 * g)
        >>> rules = primitive_vjps.pop(f)
        >>> f in primitive_vjps, primitive_vjps.pop(print, None)
        (False, None)
        >>> primitive_vjps[f] = rules
        >>> float(ag.grad(f)(1.0))
        2.0
        """
        return super().pop(fun, *default)


primitive_vjps = _Rules(("vjps", "vjp_argnum", "vjp_argnums"))
primitive_jvps = _Rules(("jvps", "jvp_argnum"))


def primitive(f):
    """Make ``f`` a primitive: autograd will not look inside it, and differentiates it
    with the rules given by ``defvjp`` / ``defjvp``.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> @primitive
    ... def cube(x):
    ...     return x ** 3
    >>> defvjp(cube, lambda ans, x: lambda g: g * 3 * x ** 2)
    >>> float(ag.grad(cube)(2.0)), float(ag.grad(ag.grad(cube))(2.0))
    (12.0, 12.0)
    """
    if isinstance(f, Primitive):
        return f
    return Primitive(f)


def notrace_primitive(f):
    """``f`` called on untracked values; its result is a constant to autograd.

    >>> import ndgrad.autograd as ag
    >>> shape_of = notrace_primitive(lambda x: x.shape)
    >>> float(ag.grad(lambda x: x * len(shape_of(x)))(1.0))
    0.0
    """
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        with _NoGrad():
            return f(*[_detach(a) for a in args],
                     **{k: _detach(v) for k, v in kwargs.items()})
    return wrapper


def _need_primitive(fun, what):
    if not isinstance(fun, Primitive):
        raise TypeError(f"{what} needs a function made with primitive(); got "
                        f"{getattr(fun, '__name__', fun)!r}")


def defvjp(fun, *vjpmakers, argnums=None):
    """Give primitive ``fun`` one VJP maker per positional argument:
    ``vjpmaker(ans, *args, **kwargs)`` returns ``g -> cotangent of that argument``;
    ``None`` declares that argument's gradient zero (autograd's rule: its update guide's
    replacement for ``defvjp_is_zero``).

    >>> import ndgrad.autograd as ag
    >>> f = primitive(lambda x, y: x * y ** 2)
    >>> defvjp(f, lambda ans, x, y: lambda g: g * y ** 2, None)
    >>> ag.grad(f)(2.0, 3.0), ag.grad(f, 1)(2.0, 3.0)
    (np.float64(9.0), np.float64(0.0))
    """
    _need_primitive(fun, "defvjp")
    nums = range(len(vjpmakers)) if argnums is None else argnums
    makers = {}
    for n, m in zip(nums, vjpmakers):
        if m is None:
            m = functools.partial(_zero_vjp, n)
        elif not callable(m):
            raise TypeError(f"Bad VJP {m!r} for {_name(fun)!r} (argnum {n}): give a "
                            "function vjpmaker(ans, *args, **kwargs) -> (g -> cotangent), "
                            "or None for a zero gradient")
        makers[n] = m
    fun.vjps.update(makers)   # (checked first: a bad maker leaves the rules as they were)


def defvjp_argnum(fun, vjpmaker):
    """One VJP maker for every argument: ``vjpmaker(argnum, ans, args, kwargs)``."""
    _need_primitive(fun, "defvjp_argnum")
    fun.vjp_argnum = vjpmaker


def defvjp_argnums(fun, vjpmaker):
    """One VJP maker for all wanted arguments at once:
    ``vjpmaker(argnums, ans, args, kwargs)`` returns ``g -> tuple of cotangents``."""
    _need_primitive(fun, "defvjp_argnums")
    fun.vjp_argnums = vjpmaker


def defjvp(fun, *jvpfuns, argnums=None):
    """Give primitive ``fun`` one JVP per positional argument:
    ``jvpfun(g, ans, *args, **kwargs)`` is the output tangent for input tangent ``g``;
    ``"same"`` means ``fun`` is linear in that argument. Reverse mode uses ``defvjp``'s
    rules where given and transposes these JVPs otherwise."""
    _need_primitive(fun, "defjvp")
    nums = range(len(jvpfuns)) if argnums is None else argnums
    jvps = {}
    for n, j in zip(nums, jvpfuns):
        if j is None:
            j = _zero_jvp     # (autograd's rule: a zero tangent)
        elif isinstance(j, str) and j == "same":
            j = _same_jvp(fun, n)
        elif not callable(j):
            raise TypeError(f"Bad JVP {j!r} for {_name(fun)!r} (argnum {n}): give a "
                            "function jvp(g, ans, *args, **kwargs), 'same' for an argument "
                            "fun is linear in, or None for a zero tangent")
        jvps[n] = j
    fun.jvps.update(jvps)


def _zero_jvp(g, ans, *args, **kwargs):
    """The tangent of a primitive's result for an argument declared with no derivative
    (``defjvp(fun, ..., None)``): zeros shaped as the result."""
    return vspace(ans).zeros()


def _name(fun):
    f = getattr(fun, "fun", fun)
    return getattr(f, "__name__", repr(f))


def _same_jvp(fun, argnum):
    def jvp(g, ans, *args, **kwargs):
        return fun(*subvals(args, [(argnum, g)]), **kwargs)
    jvp._same = True
    return jvp


def defjvp_argnum(fun, jvpmaker):
    """One JVP for every argument: ``jvpmaker(argnum, g, ans, args, kwargs)``."""
    _need_primitive(fun, "defjvp_argnum")
    fun.jvp_argnum = jvpmaker


def defjvp_argnums(fun, jvpmaker):
    """autograd's all-arguments JVP form: ``jvpmaker(argnums, gs, ans, args, kwargs)``."""
    _need_primitive(fun, "defjvp_argnums")

    def one(argnum, g, ans, args, kwargs):
        return jvpmaker((argnum,), (g,), ans, args, kwargs)
    fun.jvp_argnum = one


def def_linear(fun):
    """Declare primitive ``fun`` linear in each argument (its JVP is ``fun`` itself)."""
    _need_primitive(fun, "def_linear")

    def jvp(argnum, g, ans, args, kwargs):
        return fun(*subvals(args, [(argnum, g)]), **kwargs)
    jvp._same = True
    fun.jvp_argnum = jvp

"""autograd's differential operators (grad, elementwise_grad, jacobian, hessian, make_hvp,
checkpoint ...), built on ``make_vjp`` / ``make_jvp`` with autograd's signatures:
``op(fun, argnum=0)`` returns a function taking ``fun``'s arguments."""
from __future__ import annotations

import inspect
import warnings
from collections import OrderedDict

import functools

from .core import (make_vjp as _make_vjp, make_jvp as _make_jvp, vjp_constant_cotangent,
                   at_top, to_user)
from .extend import primitive, defvjp_argnum
from .vspace import vspace
from .wrap_util import unary_to_nary

make_vjp = unary_to_nary(_make_vjp)
make_jvp = unary_to_nary(_make_jvp)


def _np():
    import ndgrad
    return ndgrad


def _numpy_at_top(nary_operator, parts=None):
    """Outside any trace, hand results back as NumPy values (as autograd does); inside
    one, keep them recorded so the outer transform differentiates them. ``parts``: only
    these positions of a tuple result (grad_and_aux leaves ``aux`` as the user made it)."""
    @functools.wraps(nary_operator)
    def operator(fun, *op_args, **op_kwargs):
        f = nary_operator(fun, *op_args, **op_kwargs)

        @functools.wraps(f)
        def g(*args, **kwargs):
            top = at_top((args, kwargs))
            res = f(*args, **kwargs)
            if not top:
                return res
            if parts is None:
                return to_user(res)
            return tuple(to_user(r) if i in parts else r for i, r in enumerate(res))
        return g
    return operator


_SCALAR_ONLY = ("{} only applies to real scalar-output functions. Try jacobian, "
                "elementwise_grad or holomorphic_grad.")


def _real_scalar_space(ans, who):
    """``vspace(ans)``, or TypeError unless ``ans`` is one real number: the gradient of a
    complex output is not defined (autograd counts a complex scalar as two numbers)."""
    vs = vspace(ans)
    if vs.size != 1 or vs.iscomplex:
        what = f"shape {vs.shape}" if vs.size != 1 else f"dtype {vs.dtype}"
        raise TypeError(_SCALAR_ONLY.format(who) + f" (the output has {what})")
    return vs


@_numpy_at_top
@unary_to_nary
def grad(fun, x):
    """The gradient of scalar-output ``fun`` with respect to argument ``argnum``; it has
    the argument's structure.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> print(ag.grad(np.tanh)(0.0))
    1.0
    """
    vjp, ans = vjp_constant_cotangent(fun, x)
    vs = _real_scalar_space(ans, "Grad")
    return vjp(vs.ones())


@_numpy_at_top
@unary_to_nary
def elementwise_grad(fun, x):
    """The sum of each column of ``fun``'s Jacobian, in one reverse pass: for an
    elementwise ``fun``, each output's derivative.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> ag.elementwise_grad(np.sin)(np.array([0.0, np.pi]))
    array([ 1., -1.])
    """
    vjp, ans = vjp_constant_cotangent(fun, x)
    vs = vspace(ans)
    if vs.iscomplex:
        raise TypeError("Elementwise_grad only applies to real-output functions.")
    return vjp(vs.ones())


@_numpy_at_top
@unary_to_nary
def deriv(fun, x):
    """``J @ ones``: for a function of a scalar, its derivative (forward mode).

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> print(ag.deriv(np.exp)(0.0))
    1.0
    """
    return _make_jvp(fun, x)(vspace(x).ones())[1]


@_numpy_at_top
@unary_to_nary
def jacobian(fun, x):
    """The Jacobian of ``fun``, of shape ``out.shape + in.shape`` (one VJP per output).

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> ag.jacobian(lambda x: x ** 2)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    np = _np()
    vjp, ans = vjp_constant_cotangent(fun, x)
    ans_vs, x_vs = vspace(ans), vspace(x)
    if ans_vs.iscomplex:
        # (its rows by real basis cotangents hold only the real part's derivative:
        # jacobian(exp(1j * x)) gave Re(i e^{ix}), jacobian(conj) the identity's; autograd
        # refuses it too, with an error of its reshape)
        raise TypeError("jacobian of a complex-valued function: its rows would hold the "
                        "real part's derivative only; take the jacobian of its real and "
                        "imaginary parts (np.real(f(x)), np.imag(f(x))), or use make_jvp "
                        "or deriv, which give complex tangents")
    shape = ans_vs.shape + x_vs.shape
    if ans_vs.size == 0:
        return np.zeros(shape, dtype=x_vs.dtype)
    rows = [vjp(e) for e in ans_vs.standard_basis()]
    return np.reshape(np.stack(rows), shape)


@_numpy_at_top
@unary_to_nary
def holomorphic_grad(fun, x):
    """The complex derivative of holomorphic ``fun``.

    >>> import ndgrad.autograd as ag
    >>> print(ag.holomorphic_grad(lambda z: z ** 2)(1.0 + 2.0j))
    (2+4j)
    """
    if not vspace(x).iscomplex:
        warnings.warn("Input to holomorphic_grad is not complex")
    np = _np()
    return grad(lambda z: np.real(fun(z)))(x)


def grad_named(fun, argname):
    """``grad`` with respect to the argument called ``argname`` (not ``*args``/``**kw``).

    >>> import ndgrad.autograd as ag
    >>> print(ag.grad_named(lambda a, b: a * b, "b")(2.0, 3.0))
    2.0
    """
    names = inspect.getfullargspec(fun).args
    if argname not in names:
        raise ValueError(f"{getattr(fun, '__name__', fun)} has no argument named "
                         f"{argname!r}; its arguments are {names}")
    return grad(fun, names.index(argname))


@_numpy_at_top
@unary_to_nary
def hessian(fun, x):
    """The exact Hessian, ``jacobian(jacobian(fun))``.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> ag.hessian(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    return jacobian(jacobian(fun))(x)


@unary_to_nary
def make_hvp(fun, x):
    """``(hvp, grad(fun)(x))``: ``hvp(v)`` is the Hessian at ``x`` times ``v``, reusing
    one forward pass for many ``v``.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> hvp, g = ag.make_hvp(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))
    >>> hvp(np.array([1.0, 0.0]))
    array([6., 0.])
    """
    return _make_vjp(grad(fun), x)


def hessian_tensor_product(fun, argnum=0):
    """A function of ``(*args, tensor)``: the Hessian of ``fun`` times ``tensor``
    (contracted over all of the tensor's axes); never forms the Hessian.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> f = lambda x: np.sum(x ** 3)
    >>> ag.hessian_tensor_product(f)(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([ 6., 12.])
    """
    fun_grad = grad(fun, argnum)

    def vector_dot_grad(*args, **kwargs):
        np = _np()
        args, vector = args[:-1], args[-1]
        return np.tensordot(fun_grad(*args, **kwargs), vector, np.ndim(vector))
    return grad(vector_dot_grad, argnum)


hessian_vector_product = hessian_tensor_product


def tensor_jacobian_product(fun, argnum=0):
    """A function of ``(*args, tensor)``: ``tensor`` times the Jacobian of ``fun``.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> ag.tensor_jacobian_product(lambda x: x * 3.0)(np.ones(2), np.array([1.0, 2.0]))
    array([3., 6.])
    """
    def vector_dot_fun(*args, **kwargs):
        np = _np()
        args, vector = args[:-1], args[-1]
        return np.tensordot(vector, fun(*args, **kwargs), axes=np.ndim(vector))
    return jacobian(vector_dot_fun, argnum)


vector_jacobian_product = tensor_jacobian_product


@unary_to_nary
def make_jvp_reversemode(fun, x):
    """The JVP of ``fun`` at ``x`` as the VJP of its VJP (which is linear)."""
    vjp, y = _make_vjp(fun, x)
    vjp_vjp, _ = _make_vjp(vjp, vspace(y).zeros())
    return vjp_vjp


def _half_sum_squares(x):
    return 0.5 * _np().sum(x ** 2, axis=-1)


def make_ggnvp(f, g=_half_sum_squares, f_argnum=0):
    """Generalised Gauss-Newton products: ``make_ggnvp(f, g)(x)`` is ``v -> J_f^T H_g J_f v``
    at ``x``, for the loss ``g(f(x))`` (default ``g = 0.5 * sum(y**2, -1)``).

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> ggnvp = ag.make_ggnvp(lambda x: 2.0 * x)(np.array([1.0, 1.0]))
    >>> ggnvp(np.array([1.0, 0.0]))
    array([4., 0.])
    """
    @unary_to_nary
    def _make_ggnvp(f, x):
        f_vjp, f_x = _make_vjp(f, x)
        g_hvp, grad_g_x = _make_vjp(grad(g), f_x)
        f_jvp, _ = _make_vjp(f_vjp, vspace(grad_g_x).zeros())

        def ggnvp(v):
            return f_vjp(g_hvp(f_jvp(v)))
        return ggnvp
    return _make_ggnvp(f, f_argnum)


@_numpy_at_top
@unary_to_nary
def value_and_grad(fun, x):
    """``(fun(x), grad(fun)(x))`` from one pass (suits ``scipy.optimize.minimize``).

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> v, g = ag.value_and_grad(lambda x: np.sum(x ** 2))(np.array([1.0, 2.0]))
    >>> print(v, g)
    5.0 [2. 4.]
    """
    vjp, ans = vjp_constant_cotangent(fun, x)
    vs = _real_scalar_space(ans, "value_and_grad")
    return ans, vjp(vs.ones())


@functools.partial(_numpy_at_top, parts=(0,))
@unary_to_nary
def grad_and_aux(fun, x):
    """For ``fun`` returning ``(value, aux)``: ``(grad of value, aux)``.

    >>> import ndgrad.autograd as ag
    >>> g, aux = ag.grad_and_aux(lambda x: (x ** 2, "note"))(3.0)
    >>> print(g, aux)
    6.0 note
    """
    from .._autograd.pytree import flatten
    from .._ops import registry as _registry
    np = _np()

    def pair(x):
        out = fun(x)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError("grad_and_aux needs fun to return a pair (value, aux); got "
                            f"{type(out).__name__}")
        return tuple(out)
    vjp, (ans, aux) = vjp_constant_cotangent(pair, x)
    vs = _real_scalar_space(ans, "grad_and_aux")
    aux_leaves, rebuild = flatten(aux)
    aux_zero = rebuild([np.zeros_like(l) if isinstance(l, _registry.Array) else None
                        for l in aux_leaves])
    return vjp((vs.ones(), aux_zero)), aux


def multigrad_dict(fun):
    """Gradients with respect to all arguments at once, as an ordered dict from argument
    name to gradient (defaults filled in).

    >>> import ndgrad.autograd as ag
    >>> g = ag.multigrad_dict(lambda a, b=2.0: a * b)(3.0)
    >>> print(g["a"], g["b"])
    2.0 3.0
    """
    sig = inspect.signature(fun)
    params = sig.parameters
    var_pos = [n for n, p in params.items() if p.kind == p.VAR_POSITIONAL]
    var_kw = [n for n, p in params.items() if p.kind == p.VAR_KEYWORD]
    named = [n for n in params if n not in var_pos + var_kw]

    def call(dct):
        pos = tuple(dct[n] for n in named)
        if var_pos:
            pos = pos + tuple(dct[var_pos[0]])
        kw = dict(dct[var_kw[0]]) if var_kw else {}
        return fun(*pos, **kw)

    def gradfun(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        argdict = OrderedDict((n, bound.arguments[n]) for n in params)
        grads = grad(call)(dict(argdict))
        return OrderedDict((n, grads[n]) for n in argdict)
    return gradfun


def checkpoint(fun):
    """``fun`` whose intermediate values are not kept for the backward pass: they are
    recomputed when the gradient is needed (less memory held, one extra forward).

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> f = ag.checkpoint(lambda x: np.sin(x) * x)
    >>> print(ag.grad(lambda x: np.sum(f(x)))(0.0))
    0.0
    """
    def wrapped_grad(argnum, ans, args, kwargs):
        return make_vjp(fun, argnum)(*args, **kwargs)[0]

    wrapped = primitive(fun)
    defvjp_argnum(wrapped, wrapped_grad)
    return wrapped

"""autograd's argnum plumbing: turn an operator on one-argument functions into one on
n-argument functions (``unary_to_nary``), and name the result after what it wraps."""
from __future__ import annotations

import functools


def subvals(seq, replacements):
    """``seq`` as a tuple with ``seq[i]`` replaced by ``v`` for each ``(i, v)``."""
    out = list(seq)
    for i, v in replacements:
        out[i] = v
    return tuple(out)


def unary_to_nary(unary_operator):
    """Make ``unary_operator(fun, x, *op_args)`` into ``nary(fun, argnum=0, *op_args)``,
    which returns a function of all of ``fun``'s arguments; ``argnum`` may be an int or
    a tuple/list of ints (then ``x`` is the tuple of those arguments).

    >>> import ndgrad as nd
    >>> def derivative(f, x):
    ...     return nd.grad(f)(x)
    >>> d = unary_to_nary(derivative)
    >>> float(d(lambda a, b: a * b, 1)(2.0, 3.0))
    2.0
    """
    @functools.wraps(unary_operator)
    def nary_operator(fun, argnum=0, *op_args, **op_kwargs):
        if type(argnum) not in (int, tuple, list):
            raise TypeError(f"argnum must be an int or a tuple/list of ints; got "
                            f"{type(argnum).__name__} {argnum!r}")

        @wrap_nary_f(fun, unary_operator, argnum)
        def nary_f(*args, **kwargs):
            if isinstance(argnum, int):
                if not -len(args) <= argnum < len(args):
                    raise IndexError(f"argnum {argnum} is out of range for a call with "
                                     f"{len(args)} positional arguments")
                x = args[argnum]
            else:
                x = tuple(args[i] for i in argnum)

            @wraps(fun)
            def unary_f(x):
                if isinstance(argnum, int):
                    sub = subvals(args, [(argnum, x)])
                else:
                    sub = subvals(args, zip(argnum, x))
                return fun(*sub, **kwargs)
            return unary_operator(unary_f, x, *op_args, **op_kwargs)
        return nary_f
    return nary_operator


def get_name(f):
    return getattr(f, "__name__", "[unknown name]")


def get_doc(f):
    return getattr(f, "__doc__", "") or ""


def wraps(fun, namestr="{fun}", docstr="{doc}", **kwargs):
    """A decorator naming a function after ``fun`` (autograd's ``wraps``)."""
    def _wraps(f):
        try:
            f.__name__ = namestr.format(fun=get_name(fun), **kwargs)
            f.__doc__ = docstr.format(fun=get_name(fun), doc=get_doc(fun), **kwargs)
        except (AttributeError, KeyError, ValueError):
            pass
        return f
    return _wraps


def wrap_nary_f(fun, op, argnum):
    namestr = "{op}_of_{fun}_wrt_argnum_{argnum}"
    docstr = ("{op} of function {fun} with respect to argument number {argnum}. Takes "
              "the same arguments as {fun} but returns the {op}.")
    return wraps(fun, namestr, docstr, op=get_name(op), argnum=argnum)

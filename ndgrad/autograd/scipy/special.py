"""autograd.scipy.special: a lazy alias of ndgrad.scipy.special, plus autograd's
``gammasgn`` and ``rgamma``."""
from . import _target
from ..extend import defvjp, primitive


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("special"), name)


def _host(name, x):
    import numpy
    import scipy.special
    return getattr(scipy.special, name)(numpy.asarray(x))


@primitive
def gammasgn(x):
    """The sign of the gamma function (piecewise constant: its derivative is zero).

    >>> import ndgrad.autograd as ag
    >>> print(gammasgn(-0.5), ag.grad(gammasgn)(-0.5))
    -1.0 0.0
    """
    return _host("gammasgn", x)


@primitive
def rgamma(x):
    """``1 / gamma(x)`` (zero at the poles of gamma); derivative ``-psi(x) / gamma(x)``.

    >>> import ndgrad.autograd as ag
    >>> print(rgamma(3.0), ag.grad(rgamma)(1.0))
    0.5 0.5772156649015329
    """
    return _host("rgamma", x)


def _zero_vjp(ans, x):
    def vjp(g):
        import ndgrad as nd
        return nd.zeros_like(g)
    return vjp


def _rgamma_vjp(ans, x):
    def vjp(g):
        sp = _target("special")
        return g * sp.psi(x) / -sp.gamma(x)
    return vjp


defvjp(gammasgn, _zero_vjp)
defvjp(rgamma, _rgamma_vjp)

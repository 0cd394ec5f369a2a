"""autograd.scipy.linalg: a lazy alias of ndgrad.scipy.linalg, plus autograd's
differentiable ``solve_sylvester`` and ``solve_banded`` (SciPy computes the values; the
rules below are written with ndgrad ops and these two functions, so they differentiate
again, to any order)."""
from . import _target
from ..extend import defjvp_argnums, defvjp, defvjp_argnums, primitive


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("linalg"), name)


def _host(x):
    import numpy
    return numpy.asarray(x)


@primitive
def solve_sylvester(a, b, q):
    """``X`` with ``a @ X + X @ b = q`` (SciPy's Bartels-Stewart solver); differentiable in
    ``a``, ``b`` and ``q``, in reverse and forward mode.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> a, b = np.array([[2.0, 0.0], [0.0, 3.0]]), np.array([[1.0]])
    >>> solve_sylvester(a, b, np.array([[3.0], [8.0]]))
    array([[1.],
           [2.]])
    >>> print(ag.grad(lambda q: np.sum(solve_sylvester(a, b, q)))(np.array([[3.0], [8.0]])))
    [[0.33333333]
     [0.25      ]]
    """
    import scipy.linalg
    return scipy.linalg.solve_sylvester(_host(a), _host(b), _host(q))


def _sylvester_vjp(argnums, ans, args, kwargs):
    import ndgrad as nd
    a, b, q = args

    def vjp(g):
        y = solve_sylvester(nd.matrix_transpose(a), nd.matrix_transpose(b), g)
        grads = {0: -nd.matmul(y, nd.matrix_transpose(ans)),
                 1: -nd.matmul(nd.matrix_transpose(ans), y), 2: y}
        return tuple(grads[n] for n in argnums)
    return vjp


def _sylvester_jvp(argnums, tangents, ans, args, kwargs):
    import ndgrad as nd
    a, b, q = args
    rhs = 0.0
    for n, t in zip(argnums, tangents):
        rhs = rhs + {0: lambda: -nd.matmul(t, ans), 1: lambda: -nd.matmul(ans, t),
                     2: lambda: t}[n]()
    return solve_sylvester(a, b, rhs)


defvjp_argnums(solve_sylvester, _sylvester_vjp)
defjvp_argnums(solve_sylvester, _sylvester_jvp)


@primitive
def solve_banded(l_and_u, ab, b):
    """``x`` with ``A @ x = b`` for the banded matrix ``A`` stored as SciPy's ``ab``
    (``ab[u + i - j, j] == A[i, j]``, ``l_and_u = (l, u)``); differentiable in ``ab`` and
    ``b`` (reverse mode).

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> ab = np.array([[0.0, 1.0, 1.0], [2.0, 2.0, 2.0], [1.0, 1.0, 0.0]])  # tridiagonal
    >>> solve_banded((1, 1), ab, np.array([3.0, 4.0, 3.0]))
    array([1., 1., 1.])
    >>> print(ag.grad(lambda b: solve_banded((1, 1), ab, b)[0])(np.array([3.0, 4.0, 3.0])))
    [ 0.75 -0.5   0.25]
    """
    import scipy.linalg
    l, u = l_and_u
    return scipy.linalg.solve_banded((l, u), _host(ab), _host(b))


def _banded_transpose(l_and_u, ab):
    """The ``ab`` storage of ``A.T`` (bands ``(u, l)``): row ``r`` is row ``l + u - r`` of
    ``ab`` shifted by ``r - l`` columns."""
    import numpy
    import ndgrad as nd
    l, u = l_and_u
    n = ab.shape[-1]
    r = numpy.arange(l + u + 1)[:, None]
    cols = numpy.arange(n)[None, :] + r - l
    valid = (cols >= 0) & (cols < n)
    picked = ab[numpy.broadcast_to(l + u - r, cols.shape), numpy.clip(cols, 0, n - 1)]
    return nd.where(valid, picked, nd.zeros_like(picked))


def _banded_vjp(argnum, ans, l_and_u, ab, b):
    import numpy
    import ndgrad as nd
    l, u = l_and_u
    n = ab.shape[-1]

    def vjp_b(g):
        return solve_banded((u, l), _banded_transpose(l_and_u, ab), g)

    def vjp_ab(g):
        # dA = -outer(gb, x); ab[k, j] holds A[j + k - u, j]
        gb = vjp_b(g)
        rows = numpy.arange(n)[None, :] + numpy.arange(l + u + 1)[:, None] - u
        valid = (rows >= 0) & (rows < n)
        gb_rows = gb[numpy.clip(rows, 0, n - 1)]  # (l+u+1, n) or (l+u+1, n, m)
        prod = gb_rows * ans[None]
        if prod.ndim == 3:
            prod = nd.sum(prod, axis=-1)
        return nd.where(valid, -prod, nd.zeros_like(prod))
    return vjp_ab if argnum == 1 else vjp_b


def _banded_vjp_ab(ans, l_and_u, ab, b):
    return _banded_vjp(1, ans, l_and_u, ab, b)


def _banded_vjp_b(ans, l_and_u, ab, b):
    return _banded_vjp(2, ans, l_and_u, ab, b)


defvjp(solve_banded, _banded_vjp_ab, _banded_vjp_b, argnums=[1, 2])

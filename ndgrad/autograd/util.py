"""autograd.util: small tuple helpers (``subvals``, ``subval``, ``func``) and the
deprecated ``quick_grad_check``."""
from __future__ import annotations

import warnings

from .wrap_util import subvals  # noqa: F401


def subval(x, i, v):
    """``x`` as a tuple with ``x[i]`` replaced by ``v``.

    >>> subval((1, 2, 3), 1, "b")
    (1, 'b', 3)
    """
    return subvals(x, [(i, v)])


def func(f):
    """``f`` itself (autograd kept it for old code)."""
    return f


def quick_grad_check(fun, arg0, extra_args=(), kwargs=None, verbose=True, eps=1e-4,
                     rtol=1e-4, atol=1e-6, rs=None):
    """Deprecated in autograd: ``check_grads(fun, modes=["rev"], order=1)`` on ``arg0``
    (``extra_args`` and ``kwargs`` held fixed); raises AssertionError when the gradient
    disagrees with finite differences. ``eps``, ``rtol``, ``atol`` and ``rs`` are accepted
    and ignored, as in autograd.

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     quick_grad_check(lambda x, y: x ** 2 + y, 1.0, (2.0,))
    """
    warnings.warn("quick_grad_check is deprecated in autograd; use "
                  "autograd.test_util.check_grads")
    from .test_util import check_grads
    kwargs = {} if kwargs is None else kwargs
    check_grads(lambda x: fun(x, *extra_args, **kwargs), modes=["rev"], order=1)(arg0)

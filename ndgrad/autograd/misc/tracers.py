"""autograd.misc.tracers: ``const_graph``."""
from __future__ import annotations

import functools


def const_graph(fun, *args, **kwargs):
    """``fun`` with leading positional ``args`` and ``kwargs`` bound:
    ``const_graph(fun, *a, **k)(*rest)`` is ``fun(*a, *rest, **k)``.

    autograd records ``fun``'s primitives on the first call and replays that record on
    later calls (a speed-up, valid only while ``fun``'s graph does not depend on the
    values of its inputs). ndgrad runs ``fun`` on every call, so the values are the same
    and a value-dependent graph stays right; to compile a function, use ``ndgrad.jit``.

    >>> import ndgrad.autograd.numpy as np
    >>> f = const_graph(lambda x, y, z=0.0: x + 2 * y + 3 * z, 1.0, z=3.0)
    >>> print(f(2.0), f(np.array([0.0, 1.0])))
    14.0 [10. 12.]
    """
    bound = functools.partial(fun, *args, **kwargs)

    @functools.wraps(fun)
    def const_graph_fun(*rest):
        return bound(*rest)
    return const_graph_fun

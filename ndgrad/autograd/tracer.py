"""autograd.tracer's public names: ``primitive``, ``notrace_primitive``, ``Box``, ``isbox``
and ``getval``. In ndgrad a traced value is an ordinary array that records, so a "box"
is an array being differentiated now and ``getval`` is its recorded-free copy."""
from __future__ import annotations

from .extend import Box, _detach, notrace_primitive, primitive  # noqa: F401


def isbox(x):
    """True when ``x`` is being differentiated now (autograd: "is a Box").

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> seen = []
    >>> _ = ag.grad(lambda x: seen.append(isbox(x)) or x * 2.0)(1.0)
    >>> seen, isbox(np.ones(2)), isbox(1.0)
    ([True], False, False)
    """
    return isinstance(x, Box)


def getval(x):
    """``x`` without its recording (the value a box holds); other values unchanged.

    >>> import ndgrad.autograd as ag
    >>> got = []
    >>> _ = ag.grad(lambda x: got.append(isbox(getval(x))) or x * 2.0)(1.0)
    >>> got
    [False]
    """
    return _detach(x)

"""Gradient recording modes: ``no_grad``, ``enable_grad``, ``set_grad_enabled``."""
from __future__ import annotations

import functools

from .._ops.registry import grad_state, saved_grad_mode, restore_grad_mode


class set_grad_enabled:
    """Turn recording on or off, as a context manager or a decorator.

    >>> import ndgrad as nd
    >>> x = nd.asarray(1.0, requires_grad=True)
    >>> with nd.set_grad_enabled(False):
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    def __init__(self, mode=True):
        self.mode = mode
        self.prev = saved_grad_mode()
        grad_state.enabled = mode  # takes effect at once, as torch.set_grad_enabled

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        restore_grad_mode(self.prev)

    def __call__(self, fn):
        mode = self.mode
        restore_grad_mode(self.prev)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with _Mode(mode):
                return fn(*args, **kwargs)
        return wrapper


class _Mode:
    def __init__(self, mode):
        self.mode = mode

    def __enter__(self):
        self.prev = saved_grad_mode()
        grad_state.enabled = self.mode
        return self

    def __exit__(self, *exc):
        restore_grad_mode(self.prev)

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with _Mode(mode):
                return fn(*args, **kwargs)
        return wrapper


def no_grad():
    """Do not record operations (inference, optimizer updates).

    >>> import ndgrad as nd
    >>> x = nd.asarray(1.0, requires_grad=True)
    >>> with nd.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """
    return _Mode(False)


def enable_grad():
    """Record operations again inside a ``no_grad`` block.

    >>> import ndgrad as nd
    >>> x = nd.asarray(1.0, requires_grad=True)
    >>> with nd.no_grad():
    ...     with nd.enable_grad():
    ...         y = x * 2
    >>> y.requires_grad
    True
    """
    return _Mode(True)


def is_grad_enabled():
    """Whether operations are recorded now (False inside ``no_grad``).

    >>> import ndgrad as nd
    >>> nd.is_grad_enabled()
    True
    >>> with nd.no_grad():
    ...     print(nd.is_grad_enabled())
    False
    """
    return grad_state.enabled

"""``tf.compat``: TF's text and bytes conversions (``python/util/compat.py``); ``v1`` is
ndgrad.tf itself (set by the package)."""
from __future__ import annotations

import numbers as _numbers
import os as _os

__all__ = ["as_bytes", "as_text", "as_str", "as_str_any", "path_to_str", "integral_types",
           "real_types", "complex_types", "bytes_or_text_types"]

integral_types = (_numbers.Integral,)
real_types = (_numbers.Real,)
complex_types = (_numbers.Complex,)
bytes_or_text_types = (bytes, str)


def as_bytes(bytes_or_text, encoding="utf-8"):
    """``bytes_or_text`` as bytes (text encoded with ``encoding``).

    >>> import ndgrad.tf as tf
    >>> tf.compat.as_bytes("héllo"), tf.compat.as_bytes(b"x")
    (b'h\\xc3\\xa9llo', b'x')
    """
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding="utf-8"):
    """``bytes_or_text`` as str (bytes decoded with ``encoding``).

    >>> import ndgrad.tf as tf
    >>> tf.compat.as_text(b"h\\xc3\\xa9llo"), tf.compat.as_str("x")
    ('héllo', 'x')
    """
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value, encoding="utf-8"):
    """``str(value)``, bytes decoded.

    >>> import ndgrad.tf as tf
    >>> tf.compat.as_str_any(b"a"), tf.compat.as_str_any(3)
    ('a', '3')
    """
    if isinstance(value, bytes):
        return as_str(value, encoding)
    return str(value)


def path_to_str(path):
    """A path-like object's string (``os.fspath``), anything else as it is.

    >>> import pathlib, ndgrad.tf as tf
    >>> tf.compat.path_to_str(pathlib.PurePosixPath("/tmp/x"))
    '/tmp/x'
    """
    if hasattr(path, "__fspath__"):
        path = as_str_any(_os.fspath(path))
    return path

"""``tf.flags`` / ``tf.app.flags``: TF 1's command-line flags (``python/platform/flags.py``),
absl's flags (extra ``app``: ``absl-py``) with TF's two additions: the ``DEFINE_*``
functions take TF's old keyword names (``flag_name``, ``default_value``, ``docstring``),
and reading a flag of ``FLAGS`` before anything parsed the command line parses
``sys.argv`` then (unknown flags left alone).

>>> import ndgrad.tf as tf
>>> _ = tf.app.flags.DEFINE_integer("doctest_epochs", 5, "how many epochs")
>>> tf.app.flags.FLAGS(["prog", "--doctest_epochs=7"], known_only=True)
['prog']
>>> tf.app.flags.FLAGS.doctest_epochs
7
>>> delattr(tf.app.flags.FLAGS, "doctest_epochs")
"""
from __future__ import annotations

import functools as _functools
import sys as _sys

try:
    from absl import flags as _absl_flags
    from absl.flags import *  # noqa: F401,F403  (absl's flag API, as TF re-exports it)
except ImportError as _e:   # pragma: no cover (absl-py comes with the test extra)
    raise ImportError("tf.flags / tf.app need absl-py, as TensorFlow's do: pip install "
                      "'ndgrad[app]'") from _e

# (our DEFINE_* wrappers are not where a flag is "defined" for absl's key flags)
_absl_flags.disclaim_key_flags()

_RENAMED_ARGUMENTS = {"flag_name": "name", "default_value": "default", "docstring": "help"}


def _wrap_define_function(original):
    """``original`` taking TF's old keyword names as well as absl's."""
    @_functools.wraps(original)
    def wrapper(*args, **kwargs):
        for old, new in _RENAMED_ARGUMENTS.items():
            if old in kwargs:
                if new in kwargs:
                    raise TypeError(f"{original.__name__}() got both {old!r} and its new "
                                    f"name {new!r}")
                kwargs[new] = kwargs.pop(old)
        return original(*args, **kwargs)
    return wrapper


class _FlagValuesWrapper:
    """absl's ``FLAGS`` that parses ``sys.argv`` (unknown flags kept) when a flag is read
    before the command line was parsed, as TF 1's ``tf.flags.FLAGS`` does."""

    def __init__(self, flag_values):
        self.__dict__["__wrapped"] = flag_values

    def __getattribute__(self, name):
        if name == "__dict__":
            return super().__getattribute__(name)
        return _FlagValuesWrapper.__getattr__(self, name)

    def __getattr__(self, name):
        wrapped = self.__dict__["__wrapped"]
        if name in wrapped and not wrapped.is_parsed():
            wrapped(_sys.argv, known_only=True)     # (a flag read: the command line first)
        return getattr(wrapped, name)                # (a flag's value, or FlagValues' own)

    def __setattr__(self, name, value):
        return self.__dict__["__wrapped"].__setattr__(name, value)

    def __delattr__(self, name):
        return self.__dict__["__wrapped"].__delattr__(name)

    def __dir__(self):
        return self.__dict__["__wrapped"].__dir__()

    def __getitem__(self, name):
        return self.__dict__["__wrapped"].__getitem__(name)

    def __setitem__(self, name, flag):
        return self.__dict__["__wrapped"].__setitem__(name, flag)

    def __contains__(self, name):
        return self.__dict__["__wrapped"].__contains__(name)

    def __len__(self):
        return self.__dict__["__wrapped"].__len__()

    def __iter__(self):
        return self.__dict__["__wrapped"].__iter__()

    def __str__(self):
        return self.__dict__["__wrapped"].__str__()

    def __call__(self, *args, **kwargs):
        return self.__dict__["__wrapped"].__call__(*args, **kwargs)


DEFINE_string = _wrap_define_function(_absl_flags.DEFINE_string)
DEFINE_boolean = _wrap_define_function(_absl_flags.DEFINE_boolean)
DEFINE_bool = DEFINE_boolean
DEFINE_float = _wrap_define_function(_absl_flags.DEFINE_float)
DEFINE_integer = _wrap_define_function(_absl_flags.DEFINE_integer)

FLAGS = _FlagValuesWrapper(_absl_flags.FLAGS)

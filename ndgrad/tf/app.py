"""``tf.app``: TF 1's ``run`` (``python/platform/app.py``) over absl's, and ``flags``.

>>> import ndgrad.tf as tf
>>> def main(argv):
...     print("main got", argv)
>>> try:
...     tf.app.run(main, argv=["prog", "extra"])
... except SystemExit as e:
...     print("exit", e.code)
main got ['prog', 'extra']
exit None
"""
from __future__ import annotations

import sys as _sys

from . import flags

__all__ = ["run", "flags"]


def _parse_flags_tolerate_undef(argv):
    """The command line's flags parsed, unknown ones left (TF's flags parser for run)."""
    return flags.FLAGS(_sys.argv if argv is None else argv, known_only=True)


def run(main=None, argv=None):
    """Parse the flags in ``argv`` (default ``sys.argv``), call ``main(remaining argv)``
    (default: the ``__main__`` module's ``main``) and exit with its result, as TF 1's
    ``tf.app.run`` (absl's ``app.run``)."""
    from absl.app import run as _run
    main = main or _sys.modules["__main__"].main
    _run(main=main, argv=argv, flags_parser=_parse_flags_tolerate_undef)

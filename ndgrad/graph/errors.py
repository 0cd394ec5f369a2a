"""TensorFlow's runtime error types (``tf.errors``), raised by ``Session.run``."""
from __future__ import annotations

__all__ = ["OpError", "CancelledError", "UnknownError", "InvalidArgumentError",
           "DeadlineExceededError", "NotFoundError", "AlreadyExistsError",
           "PermissionDeniedError", "UnauthenticatedError", "ResourceExhaustedError",
           "FailedPreconditionError", "AbortedError", "OutOfRangeError",
           "UnimplementedError", "InternalError", "UnavailableError", "DataLossError"]


class OpError(Exception):
    """An error while running an op: ``.op``, ``.node_def``, ``.message``, ``.error_code``."""

    error_code = 2

    def __init__(self, node_def, op, message, *args):
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message

    def __str__(self):
        return self.message


def _make(name, code, doc):
    cls = type(name, (OpError,), {"error_code": code, "__doc__": doc})
    cls.__module__ = __name__
    return cls


CancelledError = _make("CancelledError", 1, "An operation was cancelled.")
UnknownError = _make("UnknownError", 2, "Unknown error.")
InvalidArgumentError = _make("InvalidArgumentError", 3,
                             "An op received an invalid argument (a missing feed, a bad "
                             "shape at run time).")
DeadlineExceededError = _make("DeadlineExceededError", 4, "A deadline expired.")
NotFoundError = _make("NotFoundError", 5, "A requested entity was not found.")
AlreadyExistsError = _make("AlreadyExistsError", 6, "An entity already exists.")
PermissionDeniedError = _make("PermissionDeniedError", 7, "Permission denied.")
ResourceExhaustedError = _make("ResourceExhaustedError", 8, "Resources exhausted.")
FailedPreconditionError = _make("FailedPreconditionError", 9,
                                "The system is not in a state to run the op (an "
                                "uninitialized variable).")
AbortedError = _make("AbortedError", 10, "The operation was aborted.")
OutOfRangeError = _make("OutOfRangeError", 11, "Iterated past the valid range.")
UnimplementedError = _make("UnimplementedError", 12, "Not implemented.")
InternalError = _make("InternalError", 13, "Internal error.")
UnavailableError = _make("UnavailableError", 14, "The runtime is unavailable.")
DataLossError = _make("DataLossError", 15, "Unrecoverable data loss.")
UnauthenticatedError = _make("UnauthenticatedError", 16, "Not authenticated.")


def from_python(op, e):
    """The OpError TF's ``py_func`` kernel makes of a Python exception ``e`` raised by the
    user's code inside a run (a py_func, a dataset's generator or map function):
    InvalidArgumentError for TypeError and ValueError, OutOfRangeError for StopIteration,
    ResourceExhaustedError for MemoryError, UnimplementedError for NotImplementedError,
    UnknownError otherwise; the message is ``"<exception type>: <message>"`` and the
    Python traceback, as TF's.

    >>> from ndgrad.graph import errors
    >>> e = errors.from_python(None, ValueError("bad"))
    >>> type(e).__name__, e.message.splitlines()[0]
    ('InvalidArgumentError', 'ValueError: bad')
    """
    kind = (InvalidArgumentError if isinstance(e, (TypeError, ValueError)) else
            OutOfRangeError if isinstance(e, StopIteration) else
            ResourceExhaustedError if isinstance(e, MemoryError) else
            UnimplementedError if isinstance(e, NotImplementedError) else
            UnknownError)
    import traceback
    tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    return kind(None, op, f"{type(e).__name__}: {e}\n{tb}")

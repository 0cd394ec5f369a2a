"""autograd.scipy's face: ``ndgrad.scipy`` (differentiable SciPy) under autograd's names.
Every module here is a lazy alias: ``ndgrad.scipy.<name>`` is imported on first use."""
import importlib as _importlib

_SUBMODULES = ("special", "stats", "linalg", "signal", "integrate")


def _target(path):
    """The ndgrad.scipy object at dotted ``path`` (a module, or a module's attribute).
    When ndgrad.scipy cannot be imported this raises AttributeError (saying why), so
    attribute probes such as ``hasattr`` answer False instead of failing."""
    try:
        return _find(path)
    except ImportError as e:
        raise AttributeError(f"ndgrad.autograd.scipy.{path} forwards to ndgrad.scipy."
                             f"{path}, which cannot be imported: {e}") from e


def _find(path):
    try:
        return _importlib.import_module(f"ndgrad.scipy.{path}")
    except ModuleNotFoundError as e:
        if "." not in path or e.name != f"ndgrad.scipy.{path}":
            raise
    parent, _, name = path.rpartition(".")
    return getattr(_importlib.import_module(f"ndgrad.scipy.{parent}"), name)


def __getattr__(name):
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

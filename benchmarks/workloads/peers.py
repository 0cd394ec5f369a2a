"""Optional peer libraries: imported once, ``None`` (with the reason) when missing."""
from __future__ import annotations

import importlib


def _try(name):
    try:
        return importlib.import_module(name), ""
    except Exception as e:  # ImportError, or a broken install
        return None, f"{name} not importable ({type(e).__name__}: {e})"


torch, torch_missing = _try("torch")
if torch is not None:
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set (parallel work started)
        pass

autograd, autograd_missing = _try("autograd")
if autograd is not None:
    import autograd.numpy as anp  # noqa: F401
else:
    anp = None

"""autograd's container builtins. ndgrad traces each array, not the containers holding
them, so Python's own ``tuple``, ``list``, ``dict``, ``isinstance`` and ``type`` already
behave as autograd's wrapped versions do."""
from __future__ import annotations

import builtins as _py

tuple = _py.tuple
list = _py.list
dict = _py.dict
isinstance = _py.isinstance
type = _py.type
SequenceBox = (_py.tuple, _py.list)  # a traced sequence is a plain tuple or list here
DictBox = _py.dict

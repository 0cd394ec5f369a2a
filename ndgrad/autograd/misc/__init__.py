"""autograd.misc: flatten (nests of arrays to one vector and back), optimizers and
const_graph."""
from .flatten import flatten  # noqa: F401
from .tracers import const_graph  # noqa: F401

"""autograd.misc: flatten (nests of arrays to one vector and back) and optimizers."""
from .flatten import flatten  # noqa: F401

"""The benchmark workloads; each module has ``build(args) -> harness.Workload``."""
from . import chain, mlp, bigarray, linreg, matmulchain  # noqa: F401

WORKLOADS = {"chain": chain, "mlp": mlp, "bigarray": bigarray, "linreg": linreg,
             "matmulchain": matmulchain}

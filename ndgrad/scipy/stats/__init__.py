"""Differentiable ``scipy.stats`` distributions, one module per family (as ``jax.scipy.stats``).

Each function is built from ndgrad ops and ``ndgrad.scipy.special`` ops, so it
differentiates in the values and the parameters to any order (except where a module's
docstring says a derivative is refused).

>>> import ndgrad as nd
>>> from ndgrad.scipy import stats
>>> float(stats.norm.pdf(nd.asarray(0.0)))
0.3989422804014327
"""
from __future__ import annotations

from . import norm, t, beta, gamma, chi2, poisson, dirichlet, multivariate_normal  # noqa

__all__ = ["norm", "t", "beta", "gamma", "chi2", "poisson", "dirichlet",
           "multivariate_normal"]

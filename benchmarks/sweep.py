#!/usr/bin/env python
"""Per-function timing sweep: every public function of ndgrad against NumPy's own.

    python benchmarks/sweep.py                 # everything, small + large input: 3 rounds
                                               # (702 s on the shared 2-core machine)
    python benchmarks/sweep.py --quick         # 2 rounds, no re-timing (a smoke run)
    python benchmarks/sweep.py --repeat 7 --min-time 0.01   # steadier (about 2-3x longer)
    python benchmarks/sweep.py --only sort,linalg.solve      # some functions
    python benchmarks/sweep.py --large-only    # the large input only
    python benchmarks/sweep.py --large-only --numpy-inputs  # ndgrad given NumPy's own arrays

Every public function of the NumPy-compatible namespace (top level, ``linalg``, ``fft``,
``random``) is called on a small input (32 elements, 4x4 matrices) and a large one (2^20
elements, 256x256 matrices), built per function signature: the kinds of argument come
from the NumPy differential test's tables (tests/numpy/test_differential.py), so a
function added there is swept here too. Before timing, ndgrad's result is compared with
NumPy's exactly (dtype, shape, values, signs of zeros, NaN where NaN; random functions
after the same seed; the standard's rule where ndgrad._numpy.departures names the call,
as the differential test does): a mismatch is reported as WRONG and not timed. Timing: one thread,
eager mode, no gradient recording; the two calls interleaved round by round, best of
``--repeat`` rounds (benchmarks/harness.py). Functions that cannot be swept (printing,
I/O, dtype queries, ndgrad's autograd verbs ...) are listed with the reason.

A large-input row is marked (O(1)) where NumPy takes under 50 us, and (views) where both
results are views of the input (nothing copied: unstack's slices); either way its ratio is
a per-call or per-view cost, and the summary does not count it as O(n) work.

Writes benchmarks/results/sweep.json and sweep.md (sorted by the large input's ratio) for a whole
sweep; a partial one (--only, --large-only, --numpy-inputs) writes them only where --out says.
"""
from __future__ import annotations

import os

from one_thread import HERE, ROOT  # noqa: E402,F401  (first: one thread, before NumPy)

import argparse  # noqa: E402
import datetime  # noqa: E402
import gc  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Callable  # noqa: E402


import numpy as np  # noqa: E402

import ndgrad as nd  # noqa: E402
from benchmarks.harness import Impl, fmt_time, time_impls  # noqa: E402
from ndgrad._numpy.departures import departure_for  # noqa: E402


def _differential():
    """The NumPy differential test module (its tables and its exact comparison)."""
    path = os.path.join(ROOT, "tests", "numpy", "test_differential.py")
    spec = importlib.util.spec_from_file_location("_sweep_differential", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


DIFF = _differential()

# -- sizes --------------------------------------------------------------------------------
SMALL, LARGE = "small", "large"
SHAPE = {SMALL: (4, 8), LARGE: (1024, 1024)}          # arrays: 32 and 2^20 elements
N1 = {SMALL: 32, LARGE: 1 << 20}                      # 1-D arrays, random draws
MAT = {SMALL: 4, LARGE: 256}                          # linear algebra: n x n


def _rng():
    return np.random.default_rng(1234)


def floats(size, shape=None, lo=0.1, hi=0.9):
    """Values in (lo, hi): inside every elementwise function's domain."""
    return _rng().uniform(lo, hi, SHAPE[size] if shape is None else shape)


def ints(size, shape=None, lo=0, hi=100, dtype=np.int64):
    return _rng().integers(lo, hi, SHAPE[size] if shape is None else shape).astype(dtype)


def vec(size, lo=0.1, hi=0.9):
    return _rng().uniform(lo, hi, N1[size])


def mat(size, spd=False, k=0):
    n = MAT[size]
    a = np.random.default_rng(7 + k).standard_normal((n, n))
    return a @ a.T + n * np.eye(n) if spd else a + n * np.eye(n)


# -- the cases ----------------------------------------------------------------------------
@dataclass
class Case:
    """One function: ``build(size) -> (args, kwargs)`` in NumPy values; ndgrad gets the
    same with every ndarray converted. ``seed``: the random state both start from before
    the check. ``inplace``: the function writes its first argument (compared after)."""
    name: str                       # qualified: "sort", "linalg.solve", "random.normal"
    np_fn: Callable
    nd_fn: Callable
    build: Callable
    seed: bool = False
    inplace: bool = False
    unordered: bool = False
    check: bool = True


INT_FUNCS = set("""bitwise_and bitwise_or bitwise_xor bitwise_left_shift left_shift
bitwise_right_shift right_shift gcd lcm bitwise_count bitwise_invert bitwise_not invert
""".split())


def _unary(name):
    if name in INT_FUNCS:
        return lambda s: ((ints(s),), {})
    if name in ("arccosh", "acosh"):
        return lambda s: ((floats(s, lo=1.1, hi=5.0),), {})
    if name == "sort_complex":
        return lambda s: ((vec(s),), {})
    return lambda s: ((floats(s),), {})


def _binary(name):
    if name in ("left_shift", "right_shift", "bitwise_left_shift", "bitwise_right_shift"):
        return lambda s: ((ints(s), ints(s, lo=0, hi=8)), {})
    if name in INT_FUNCS:
        return lambda s: ((ints(s), ints(s, lo=1, hi=1000)), {})
    if name == "ldexp":
        return lambda s: ((floats(s), ints(s, lo=-4, hi=4)), {})
    return lambda s: ((floats(s), floats(s, lo=0.2, hi=0.7)[::-1].copy()), {})


def _first_kw(kws):
    return dict(kws[0]) if kws else {}


# functions whose first table keywords do not fit the generic 2-D float input, or whose
# input must be of another kind: name -> build(size)
def _special():
    sq = lambda s: floats(s, shape=(MAT[s] * 4,) * 2)            # noqa: E731
    u8 = lambda s: ints(s, dtype=np.uint8, hi=256)               # noqa: E731
    return {
        "bincount": lambda s: ((ints(s, shape=N1[s]),), {}),
        "packbits": lambda s: ((ints(s, hi=2).astype(bool),), {}),
        "unpackbits": lambda s: ((u8(s),), {}),
        "polyder": lambda s: ((vec(s),), {}),
        "polyint": lambda s: ((vec(s),), {}),
        "vander": lambda s: ((floats(s, shape=8 if s == SMALL else 1024),), {}),
        "trim_zeros": lambda s: ((np.concatenate([[0.0, 0.0], vec(s), [0.0]]),), {}),
        "ediff1d": lambda s: ((vec(s),), {}),
        "diagflat": lambda s: ((floats(s, shape=8 if s == SMALL else 1024),), {}),
        "diag": lambda s: ((sq(s),), {}),
        "tril_indices_from": lambda s: ((sq(s),), {}),
        "triu_indices_from": lambda s: ((sq(s),), {}),
        "diag_indices_from": lambda s: ((sq(s),), {}),
        "trace": lambda s: ((sq(s),), {}),
        "broadcast_to": lambda s: ((floats(s),), {"shape": (2,) + SHAPE[s]}),
        "reshape": lambda s: ((floats(s),), {"shape": (-1,)}),
        "astype": lambda s: ((floats(s), np.float32), {}),
        "dsplit": lambda s: ((floats(s, shape=SHAPE[s] + (2,)), 2), {}),
        "unique": lambda s: ((ints(s),), {}),
        "unique_values": lambda s: ((ints(s),), {}),
        "unique_counts": lambda s: ((ints(s),), {}),
        "unique_inverse": lambda s: ((ints(s),), {}),
        "unique_all": lambda s: ((ints(s),), {}),
        "nonzero": lambda s: ((ints(s, hi=3),), {}),
        "flatnonzero": lambda s: ((ints(s, hi=3),), {}),
        "argwhere": lambda s: ((ints(s, hi=3),), {}),
        "count_nonzero": lambda s: ((ints(s, hi=3),), {}),
        "isscalar": lambda s: ((1.5,), {}),
        # two arrays
        "matmul": lambda s: ((mat(s), mat(s, k=1)), {}),
        "dot": lambda s: ((mat(s), mat(s, k=1)), {}),
        "inner": lambda s: ((mat(s), mat(s, k=1)), {}),
        "vdot": lambda s: ((vec(s), vec(s)[::-1].copy()), {}),
        "tensordot": lambda s: ((mat(s), mat(s, k=1)), {"axes": 1}),
        "vecdot": lambda s: ((floats(s), floats(s, lo=0.3)), {}),
        "matvec": lambda s: ((mat(s), vec(SMALL)[:MAT[s]] if s == SMALL
                              else floats(s, shape=MAT[s])), {}),
        "vecmat": lambda s: ((floats(s, shape=MAT[s]), mat(s)), {}),
        "outer": lambda s: ((floats(s, shape=8 if s == SMALL else 1024),
                             floats(s, shape=4 if s == SMALL else 1024, lo=0.3)), {}),
        "kron": lambda s: ((floats(s, shape=(2, 4) if s == SMALL else (32, 32)),
                            floats(s, shape=(2, 2) if s == SMALL else (32, 32), lo=0.3)), {}),
        "cross": lambda s: ((floats(s, shape=(N1[s] // 4, 3)),
                             floats(s, shape=(N1[s] // 4, 3), lo=0.3)), {}),
        "convolve": lambda s: ((vec(s), floats(s, shape=8)), {}),
        "correlate": lambda s: ((vec(s), floats(s, shape=8)), {}),
        "polyadd": lambda s: ((vec(s), vec(s)[:-3].copy()), {}),
        "polysub": lambda s: ((vec(s), vec(s)[:-3].copy()), {}),
        "polymul": lambda s: ((floats(s, shape=8 if s == SMALL else 4096),
                               floats(s, shape=8 if s == SMALL else 4096, lo=0.3)), {}),
        "polyval": lambda s: ((floats(s, shape=8), vec(s)), {}),
        "polyfit": lambda s: ((vec(s), 2.0 * vec(s) + 1.0), {"deg": 1}),
        "isin": lambda s: ((ints(s), ints(s, shape=50)), {}),
        "intersect1d": lambda s: ((ints(s, hi=10 * N1[s]), ints(s, hi=10 * N1[s])[::-1].copy()),
                                  {}),
        "union1d": lambda s: ((ints(s, hi=10 * N1[s]), ints(s, hi=10 * N1[s])[::-1].copy()), {}),
        "setdiff1d": lambda s: ((ints(s, hi=10 * N1[s]), ints(s, hi=10 * N1[s])[::-1].copy()),
                                {}),
        "setxor1d": lambda s: ((ints(s, hi=10 * N1[s]), ints(s, hi=10 * N1[s])[::-1].copy()), {}),
        "searchsorted": lambda s: ((np.sort(vec(s)), vec(s, lo=0.0, hi=1.0)), {}),
        "digitize": lambda s: ((vec(s, lo=0.0, hi=1.0), np.linspace(0, 1, 100)), {}),
        "allclose": lambda s: ((floats(s), floats(s)), {}),
        "array_equal": lambda s: ((floats(s), floats(s)), {}),
        "array_equiv": lambda s: ((floats(s), floats(s)), {}),
        "take": lambda s: ((vec(s), ints(s, shape=N1[s], hi=N1[s])), {}),
        "take_along_axis": lambda s: ((floats(s), ints(s, hi=SHAPE[s][-1])), {"axis": -1}),
        "compress": lambda s: ((ints(s, shape=SHAPE[s][0], hi=2).astype(bool), floats(s)),
                               {"axis": 0}),
        "extract": lambda s: ((ints(s, hi=2).astype(bool), floats(s)), {}),
        "cov": lambda s: ((floats(s, shape=(4, 8) if s == SMALL else (64, 16384)),), {}),
        "corrcoef": lambda s: ((floats(s, shape=(4, 8) if s == SMALL else (64, 16384)),), {}),
        # three arrays
        "where": lambda s: ((floats(s) > 0.5, floats(s), floats(s, lo=0.3)), {}),
        "clip": lambda s: ((floats(s), 0.3, 0.7), {}),
        "interp": lambda s: ((vec(s, lo=0, hi=1), np.linspace(0, 1, 100),
                              np.linspace(0, 1, 100) ** 2), {}),
        # left out of the differential test, timed here
        "partition": lambda s: ((vec(s),), {"kth": N1[s] // 2}),
        "argpartition": lambda s: ((vec(s),), {"kth": N1[s] // 2}),
        "choose": lambda s: ((ints(s, hi=2), [floats(s), floats(s, lo=0.3)]), {}),
        "select": lambda s: (([floats(s) > 0.7, floats(s) < 0.2], [floats(s), -floats(s)]),
                             {}),
        "lexsort": lambda s: (((ints(s, shape=N1[s], hi=10), ints(s, shape=N1[s], hi=10)[::-1]
                                .copy()),), {}),
        "histogram2d": lambda s: ((vec(s), vec(s)[::-1].copy()), {}),
        "histogramdd": lambda s: ((floats(s, shape=(N1[s], 2)),), {}),
        "einsum": lambda s: (("ij,jk->ik", mat(s), mat(s, k=1)), {}),
        "einsum_path": lambda s: (("ij,jk,kl->il", mat(s), mat(s, k=1), mat(s, k=2)), {}),
        "mask_indices": lambda s: ((MAT[s] * 4, np.triu), {}),
        "poly": lambda s: ((floats(s, shape=8 if s == SMALL else 200),), {}),
        "roots": lambda s: ((floats(s, shape=8 if s == SMALL else 100),), {}),
        "polydiv": lambda s: ((floats(s, shape=32 if s == SMALL else 2048), floats(s, shape=4)),
                              {}),  # (NumPy loops in Python over len(u))
        "sinc": lambda s: ((floats(s),), {}),
        "unravel_index": lambda s: ((ints(s, shape=N1[s], hi=N1[s]), (N1[s] // 4, 4)), {}),
        "ravel_multi_index": lambda s: (((ints(s, shape=N1[s], hi=4),
                                          ints(s, shape=N1[s], hi=8)), (4, 8)), {}),
        "meshgrid": lambda s: ((floats(s, shape=SHAPE[s][0]), floats(s, shape=SHAPE[s][1])),
                               {}),
        "ix_": lambda s: ((ints(s, shape=SHAPE[s][0], hi=8), ints(s, shape=SHAPE[s][1], hi=8)),
                          {}),
        "broadcast_shapes": lambda s: ((SHAPE[s], (1, SHAPE[s][1])), {}),
        "resize": lambda s: ((floats(s), (SHAPE[s][1], SHAPE[s][0] * 2)), {}),
        "require": lambda s: ((floats(s),), {}),
        "broadcast": lambda s: ((floats(s), floats(s, shape=SHAPE[s][1])), {}),
    }


# mutate their first argument: build -> (args, kwargs); compared after one call
def _inplace():
    return {
        "copyto": lambda s: ((floats(s), floats(s, lo=0.3)), {}),
        "place": lambda s: ((floats(s), floats(s) > 0.5, [1.0, 2.0]), {}),
        "put": lambda s: ((floats(s), ints(s, shape=N1[s], hi=N1[s]), vec(s)), {}),
        "putmask": lambda s: ((floats(s), floats(s) > 0.5, floats(s, lo=0.3)), {}),
        "fill_diagonal": lambda s: ((floats(s, shape=(MAT[s] * 4,) * 2), 5.0), {}),
        "put_along_axis": lambda s: ((floats(s), ints(s, hi=SHAPE[s][-1]),
                                      floats(s, lo=0.3)), {"axis": -1}),
    }


# no array input: arrays built from shapes, ranges and scalars
def _creation():
    n, m = N1, MAT
    return {
        "arange": lambda s: ((n[s],), {}),
        "zeros": lambda s: ((SHAPE[s],), {}),
        "ones": lambda s: ((SHAPE[s],), {}),
        "full": lambda s: ((SHAPE[s], 2.5), {}),
        "empty": lambda s: ((SHAPE[s],), {}),
        "eye": lambda s: ((m[s] * 4,), {}),
        "identity": lambda s: ((m[s] * 4,), {}),
        "tri": lambda s: ((m[s] * 4,), {}),
        "linspace": lambda s: ((0.0, 1.0, n[s]), {}),
        "logspace": lambda s: ((0.0, 1.0, n[s]), {}),
        "geomspace": lambda s: ((1.0, 1000.0, n[s]), {}),
        "bartlett": lambda s: ((n[s],), {}), "blackman": lambda s: ((n[s],), {}),
        "hamming": lambda s: ((n[s],), {}), "hanning": lambda s: ((n[s],), {}),
        "kaiser": lambda s: ((n[s], 5.0), {}),
        "indices": lambda s: ((SHAPE[s],), {}),
        "tril_indices": lambda s: ((m[s] * 4,), {}),
        "triu_indices": lambda s: ((m[s] * 4,), {}),
        "diag_indices": lambda s: ((m[s] * 4,), {}),
        "empty_like": lambda s: ((floats(s),), {}),
    }


UNCHECKED = {"empty", "empty_like"}     # uninitialized values: timed, not compared


def _linalg():
    v2 = lambda s: floats(s, shape=(N1[s] // 4, 4))                 # noqa: E731
    return {
        "cholesky": lambda s: ((mat(s, spd=True),), {}),
        "cond": lambda s: ((mat(s),), {}),
        "cross": lambda s: ((floats(s, shape=(N1[s] // 4, 3)),
                             floats(s, shape=(N1[s] // 4, 3), lo=0.3)), {}),
        "det": lambda s: ((mat(s),), {}),
        "diagonal": lambda s: ((mat(s),), {}),
        "eig": lambda s: ((mat(s, spd=True),), {}),
        "eigh": lambda s: ((mat(s, spd=True),), {}),
        "eigvals": lambda s: ((mat(s, spd=True),), {}),
        "eigvalsh": lambda s: ((mat(s, spd=True),), {}),
        "inv": lambda s: ((mat(s),), {}),
        "lstsq": lambda s: ((mat(s), mat(s, k=1)), {"rcond": None}),
        "matmul": lambda s: ((mat(s), mat(s, k=1)), {}),
        "matrix_norm": lambda s: ((mat(s),), {}),
        "matrix_power": lambda s: ((mat(s) / MAT[s] / 2, 5), {}),
        "matrix_rank": lambda s: ((mat(s),), {}),
        "matrix_transpose": lambda s: ((mat(s),), {}),
        "multi_dot": lambda s: (([mat(s), mat(s, k=1), mat(s, k=2)],), {}),
        "norm": lambda s: ((floats(s),), {}),
        "outer": lambda s: ((floats(s, shape=8 if s == SMALL else 1024),
                             floats(s, shape=4 if s == SMALL else 1024, lo=0.3)), {}),
        "pinv": lambda s: ((mat(s),), {}),
        "qr": lambda s: ((mat(s),), {}),
        "slogdet": lambda s: ((mat(s),), {}),
        "solve": lambda s: ((mat(s), mat(s, k=1)), {}),
        "svd": lambda s: ((mat(s),), {}),
        "svdvals": lambda s: ((mat(s),), {}),
        "tensordot": lambda s: ((mat(s), mat(s, k=1)), {"axes": 1}),
        "tensorinv": lambda s: ((mat(s).reshape(MAT[s], MAT[s] // 2, 2),), {"ind": 1}),
        "tensorsolve": lambda s: ((mat(s).reshape(MAT[s], MAT[s] // 2, 2), vec(SMALL)[:4]
                                   if s == SMALL else floats(s, shape=MAT[s])), {}),
        "trace": lambda s: ((mat(s),), {}),
        "vecdot": lambda s: ((v2(s), v2(s)[::-1].copy()), {}),
        "vector_norm": lambda s: ((floats(s),), {}),
    }


def _fft():
    c = lambda s: vec(s) + 1j * vec(s)[::-1]                        # noqa: E731
    c2 = lambda s: floats(s) + 1j * floats(s)[::-1]                 # noqa: E731
    return {
        "fft": lambda s: ((c(s),), {}), "ifft": lambda s: ((c(s),), {}),
        "rfft": lambda s: ((vec(s),), {}), "irfft": lambda s: ((c(s),), {}),
        "hfft": lambda s: ((c(s),), {}), "ihfft": lambda s: ((vec(s),), {}),
        "fft2": lambda s: ((c2(s),), {}), "ifft2": lambda s: ((c2(s),), {}),
        "fftn": lambda s: ((c2(s),), {}), "ifftn": lambda s: ((c2(s),), {}),
        "rfft2": lambda s: ((floats(s),), {}), "irfft2": lambda s: ((c2(s),), {}),
        "rfftn": lambda s: ((floats(s),), {}), "irfftn": lambda s: ((c2(s),), {}),
        "fftfreq": lambda s: ((N1[s],), {"d": 0.5}), "rfftfreq": lambda s: ((N1[s],), {}),
        "fftshift": lambda s: ((floats(s),), {}), "ifftshift": lambda s: ((floats(s),), {}),
    }


def _random():
    sz = lambda s: {"size": N1[s]}                                   # noqa: E731
    r = {n: (lambda s: ((), sz(s))) for n in """random random_sample ranf sample
        standard_normal standard_exponential standard_cauchy""".split()}
    r.update({
        "rand": lambda s: ((N1[s],), {}), "randn": lambda s: ((N1[s],), {}),
        "normal": lambda s: ((1.0, 2.0), sz(s)), "uniform": lambda s: ((-1.0, 1.0), sz(s)),
        "randint": lambda s: ((0, 100), sz(s)), "exponential": lambda s: ((2.0,), sz(s)),
        "poisson": lambda s: ((3.0,), sz(s)), "binomial": lambda s: ((10, 0.3), sz(s)),
        "gamma": lambda s: ((2.0,), sz(s)), "beta": lambda s: ((2.0, 3.0), sz(s)),
        "lognormal": lambda s: ((0.0, 1.0), sz(s)), "laplace": lambda s: ((0.0, 1.0), sz(s)),
        "logistic": lambda s: ((0.0, 1.0), sz(s)), "gumbel": lambda s: ((0.0, 1.0), sz(s)),
        "chisquare": lambda s: ((3.0,), sz(s)), "standard_t": lambda s: ((3.0,), sz(s)),
        "standard_gamma": lambda s: ((2.0,), sz(s)), "rayleigh": lambda s: ((1.0,), sz(s)),
        "weibull": lambda s: ((1.5,), sz(s)), "pareto": lambda s: ((3.0,), sz(s)),
        "power": lambda s: ((3.0,), sz(s)), "geometric": lambda s: ((0.3,), sz(s)),
        "triangular": lambda s: ((0.0, 0.5, 1.0), sz(s)),
        "permutation": lambda s: ((N1[s],), {}),
        "choice": lambda s: ((N1[s],), sz(s)),
        "multivariate_normal": lambda s: ((np.zeros(2), np.eye(2)), {"size": N1[s] // 2}),
        "dirichlet": lambda s: (([1.0, 2.0, 3.0],), {"size": N1[s] // 3}),
        "multinomial": lambda s: ((10, [0.2, 0.3, 0.5]), {"size": N1[s] // 3}),
        "f": lambda s: ((3.0, 5.0), sz(s)), "hypergeometric": lambda s: ((7, 5, 6), sz(s)),
        "logseries": lambda s: ((0.6,), sz(s)),
        "negative_binomial": lambda s: ((5, 0.4), sz(s)),
        "noncentral_chisquare": lambda s: ((3.0, 1.5), sz(s)),
        "noncentral_f": lambda s: ((3.0, 5.0, 1.5), sz(s)),
        "random_integers": lambda s: ((1, 6), sz(s)), "vonmises": lambda s: ((0.0, 2.0), sz(s)),
        "wald": lambda s: ((1.0, 2.0), sz(s)), "zipf": lambda s: ((2.5,), sz(s)),
    })
    return r


# the Generator API (nd.random.default_rng(seed).<method>)
_GEN = {"random": lambda s: ((), {"size": N1[s]}),
        "standard_normal": lambda s: ((), {"size": N1[s]}),
        "normal": lambda s: ((1.0, 2.0), {"size": N1[s]}),
        "uniform": lambda s: ((-1.0, 1.0), {"size": N1[s]}),
        "integers": lambda s: ((0, 100), {"size": N1[s]}),
        "permutation": lambda s: ((N1[s],), {}),
        "choice": lambda s: ((N1[s],), {"size": N1[s]})}


# public functions not swept, by reason (each public callable is swept or named here)
NOT_SWEPT = {
    "ndgrad's own verbs and extras (no NumPy counterpart)": """grad value_and_grad vjp jvp
        jacobian hessian check_grads custom_vjp no_grad enable_grad is_grad_enabled
        set_default_device logsumexp in1d trapz product elementwise_grad hvp jit""",
    "dtype and type queries (no array work)": """can_cast common_type finfo iinfo isdtype
        issubdtype min_scalar_type mintypecode promote_types result_type typename""",
    "printing, configuration, I/O and dates (NumPy's own code on host values)": """
        array2string array_repr array_str base_repr binary_repr format_float_positional
        format_float_scientific get_include get_printoptions set_printoptions printoptions
        getbufsize setbufsize geterr seterr geterrcall seterrcall info show_config
        show_runtime load save savez savez_compressed savetxt loadtxt genfromtxt fromfile
        fromregex busday_count busday_offset is_busday datetime_as_string datetime_data isnat
        frombuffer fromstring fromiter""",
    "take callables or iterators": """apply_along_axis apply_over_axes frompyfunc piecewise
        iterable ndenumerate nested_iters fromfunction vectorize ndindex""",
    "memory queries, not array work": """may_share_memory shares_memory from_dlpack
        asmatrix""",
    "wall clock of a seed/state call is not array work": """seed get_state set_state
        get_bit_generator set_bit_generator bytes shuffle default_rng""",
}
NOT_SWEPT_BY_NAME = {n: why for why, names in NOT_SWEPT.items() for n in names.split()}


def cases():
    """Every swept function, in name order, and the public names not swept (with why)."""
    special, inplace, creation = _special(), _inplace(), _creation()
    out = {}

    def add(qual, np_fn, nd_fn, build, **kw):
        out[qual] = Case(qual, np_fn, nd_fn, build, **kw)

    for name, (kind, kws) in DIFF.TABLES.items():
        if not hasattr(np, name) or not hasattr(nd, name):
            continue
        if name in special:
            build = special[name]
        elif kind == "unary":
            build = _unary(name)
        elif kind == "binary":
            build = _binary(name)
        elif kind == "array1":
            kw = _first_kw(kws)
            build = (lambda kw: lambda s: ((floats(s),), dict(kw)))(kw)
        elif kind == "lists":
            kw = _first_kw(kws)
            build = (lambda kw: lambda s: (([floats(s), floats(s, lo=0.3)],), dict(kw)))(kw)
        else:
            continue                     # array2/array3 without a special builder: below
        add(name, getattr(np, name), getattr(nd, name), build,
            unordered=name in DIFF.UNORDERED)
    for name, build in special.items():
        if name not in out and hasattr(np, name) and hasattr(nd, name):
            add(name, getattr(np, name), getattr(nd, name), build)
    for name, build in inplace.items():
        add(name, getattr(np, name), getattr(nd, name), build, inplace=True)
    for name, build in creation.items():
        add(name, getattr(np, name), getattr(nd, name), build, check=name not in UNCHECKED)
    for name, build in _linalg().items():
        add("linalg." + name, getattr(np.linalg, name), getattr(nd.linalg, name), build)
    for name, build in _fft().items():
        add("fft." + name, getattr(np.fft, name), getattr(nd.fft, name), build)
    for name, build in _random().items():
        add("random." + name, getattr(np.random, name), getattr(nd.random, name), build,
            seed=True)
    for name, build in _GEN.items():
        add("random.Generator." + name,
            getattr(np.random.default_rng(0), name), getattr(nd.random.default_rng(0), name),
            build, seed=True)
    # which public names are neither swept nor explained
    not_swept = {}
    spaces = [("", nd, np), ("linalg.", nd.linalg, np.linalg), ("fft.", nd.fft, np.fft),
              ("random.", nd.random, np.random)]
    for prefix, mod, npmod in spaces:
        for n in dir(mod):
            obj = getattr(mod, n)
            if n.startswith("_") or not callable(obj) or isinstance(obj, type):
                continue
            if prefix + n in out:
                continue
            if n in NOT_SWEPT_BY_NAME:
                not_swept[prefix + n] = NOT_SWEPT_BY_NAME[n]
            elif not hasattr(npmod, n):
                not_swept[prefix + n] = "no NumPy counterpart"
            elif isinstance(getattr(npmod, n), type):
                not_swept[prefix + n] = "a type or scalar type"
            else:
                not_swept[prefix + n] = "NO INPUT BUILDER (add one to benchmarks/sweep.py)"
    return dict(sorted(out.items())), dict(sorted(not_swept.items()))


# -- checking and timing ------------------------------------------------------------------
NUMPY_INPUTS = False    # --numpy-inputs: ndgrad gets NumPy's own arrays, unconverted


def _to_nd(a):
    if NUMPY_INPUTS:
        return a
    if type(a) is np.ndarray:
        return nd.asarray(a)
    if isinstance(a, list) and a and all(type(x) is np.ndarray for x in a):
        return [nd.asarray(x) for x in a]
    if isinstance(a, tuple) and a and all(type(x) is np.ndarray for x in a):
        return tuple(nd.asarray(x) for x in a)
    return a


def _seed(case):
    if case.name.startswith("random.Generator."):
        meth = case.name.rsplit(".", 1)[1]
        case.np_fn = getattr(np.random.default_rng(0), meth)
        case.nd_fn = getattr(nd.random.default_rng(0), meth)
    else:
        np.random.seed(0)
        nd.random.seed(0)


def _copy_args(args):
    return tuple(a.copy() if type(a) is np.ndarray else a for a in args)


def _views_of(result, inputs, data=lambda a: a):
    """True when every array in ``result`` (one, or a tuple or list) is a view into one of
    the arrays in ``inputs``: no element was copied (``data`` gives an array's buffer)."""
    outs = list(result) if isinstance(result, (tuple, list)) else [result]
    ins = [data(a) for a in inputs if isinstance(data(a), np.ndarray)]
    for r in outs:
        r = data(r)
        if not (isinstance(r, np.ndarray) and r.base is not None and r.size and
                any(np.may_share_memory(r, a) for a in ins)):
            return False
    return bool(outs)


def _nd_data(a):
    return a._data if isinstance(a, nd.Array) else a


def check_case(case, args, kw, info=None):
    """'' when ndgrad's result is NumPy's, else what differs (or what ndgrad raised).
    ``info["views"]``: both results are views of the inputs (nothing copied)."""
    np_args = _copy_args(args)
    nd_args = tuple(_to_nd(a) for a in _copy_args(args))
    nd_kw = {k: _to_nd(v) for k, v in kw.items()}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            if case.seed:      # each from the same state (nd.random may share NumPy's)
                _seed(case)
            want = case.np_fn(*np_args, **kw)
        except Exception as e:   # noqa: BLE001
            return f"SKIP: NumPy raises {type(e).__name__}: {e}"
        try:
            if case.seed:
                _seed(case)
            got = case.nd_fn(*nd_args, **nd_kw)
        except Exception as e:   # noqa: BLE001
            return f"ERROR: ndgrad raises {type(e).__name__}: {e}"
    if info is not None and not case.inplace:
        info["views"] = (_views_of(want, np_args) and
                         _views_of(got, nd_args + tuple(nd_kw.values()), _nd_data))
    if not case.check:
        return ""
    dep = departure_for(case.name, np_args, kw)
    if dep is not None:      # the standard's rule, where ndgrad departs from NumPy on purpose
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            want = dep["rule"](*_copy_args(args), **kw)
    if case.inplace:
        got, want = nd_args[0], np_args[0]
    if hasattr(want, "_asdict"):             # NumPy's named result tuples
        want = tuple(want)
    if isinstance(got, tuple) or hasattr(got, "_asdict"):
        got = tuple(got)
    if isinstance(want, np.broadcast):
        want, got = want.shape, getattr(got, "shape", got)
    if case.unordered:
        got, want = np.sort(np.asarray(got)), np.sort(np.asarray(want))
    why = DIFF._same_array(case.name, got, want)
    return f"WRONG: {why}" if why else ""


TARGET = 1.1           # large input: ndgrad's time over NumPy's
OVERHEAD_S = 50e-6     # NumPy faster than this on the large input: O(1) work (a view, no
                       # copy), so the ratio is the fixed cost of a Python call, not work


def run_case(case, size, repeat, min_time, confirm=True):
    args, kw = case.build(size)
    row = {"name": case.name, "size": size, "status": "ok", "detail": "",
           "numpy_s": None, "ndgrad_s": None, "ratio": None, "cpu_ratio": None}
    info = {}
    why = check_case(case, args, kw, info)
    if why:
        row["status"], row["detail"] = why.split(":", 1)[0], why.split(":", 1)[1].strip()
        return row
    nd_args = tuple(_to_nd(a) for a in args)
    nd_kw = {k: _to_nd(v) for k, v in kw.items()}
    np_fn, nd_fn = case.np_fn, case.nd_fn
    impls = [Impl("numpy", step=lambda: np_fn(*args, **kw), baseline=True),
             Impl("ndgrad", step=lambda: nd_fn(*nd_args, **nd_kw))]
    base, ours = impls
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        time_impls(impls, repeat, min_time)
        if confirm and size == LARGE and (ours.seconds > TARGET * base.seconds or
                                          ours.cpu_seconds > TARGET * base.cpu_seconds):
            # above the target: twice as many rounds more, best of all (a burst of load
            # on a shared machine slows one side of a round, never speeds it up)
            time_impls(impls, 2 * repeat, min_time)
            row["confirmed"] = True
    row.update(numpy_s=base.seconds, ndgrad_s=ours.seconds,
               ratio=ours.seconds / base.seconds,
               cpu_ratio=ours.cpu_seconds / base.cpu_seconds if base.cpu_seconds else None,
               overhead_bound=base.seconds < OVERHEAD_S, views=info.get("views", False))
    return row


# -- reporting ----------------------------------------------------------------------------
def per_call(r):
    """The large input's ratio measures per-call (or per-returned-view) costs, not work on
    the data: NumPy took under OVERHEAD_S, or both results are views of the input."""
    return bool(r.get("overhead_bound") or r.get("views"))


def score(r):
    """The ratio a row is judged by: the thread's CPU time, ndgrad's over NumPy's (the wall
    clock also counts the time a process waited for a core, which on a shared machine
    swamps sub-millisecond calls), the wall-clock ratio where no CPU time was taken."""
    return r.get("cpu_ratio") or r.get("ratio") or 0.0


def table(rows, sizes, limit=None):
    """Markdown table: one line per function, sorted by the large input's CPU-time ratio
    (worst first), WRONG/ERROR lines on top."""
    by = {}
    for r in rows:
        by.setdefault(r["name"], {})[r["size"]] = r
    key_size = LARGE if LARGE in sizes else SMALL

    def key(name):
        r = by[name].get(key_size) or next(iter(by[name].values()))
        bad = r["status"] in ("WRONG", "ERROR")
        return (not bad, -score(r))
    names = sorted(by, key=key)
    if limit:
        names = names[:limit]
    head = "| function |"
    rule = "|---|"
    for s in sizes:
        head += f" {s}: NumPy | {s}: ndgrad | {s}: wall | {s}: CPU |"
        rule += "---:|---:|---:|---:|"
    lines = [head, rule]
    for n in names:
        line = f"| `{n}` |"
        for s in sizes:
            r = by[n].get(s)
            if r is None:
                line += " - | - | - | - |"
            elif r["status"] != "ok":
                line += f" {r['status']} | {r['detail'][:60]} | - | - |"
            else:
                mark = "" if s != LARGE else " (O(1))" if r.get("overhead_bound") else (
                    " (views)" if r.get("views") else "")
                cpu = f"{r['cpu_ratio']:.2f}x" if r.get("cpu_ratio") else "-"
                line += (f" {fmt_time(r['numpy_s'])} | {fmt_time(r['ndgrad_s'])} | "
                         f"{r['ratio']:.2f}x | {cpu}{mark} |")
        lines.append(line)
    return "\n".join(lines)


def summary(rows, sizes):
    lines = []
    for s in sizes:
        rs = [r for r in rows if r["size"] == s]
        ok = [r for r in rs if r["status"] == "ok"]
        ratios = np.array([score(r) for r in ok]) if ok else np.array([np.nan])
        lines.append(
            f"- {s}: {len(rs)} functions; {len(ok)} timed, "
            f"{sum(r['status'] == 'WRONG' for r in rs)} WRONG, "
            f"{sum(r['status'] == 'ERROR' for r in rs)} ERROR, "
            f"{sum(r['status'] == 'SKIP' for r in rs)} skipped (NumPy raises); "
            f"CPU-time ratio median {np.median(ratios):.2f}x, "
            f"<= 1.1x: {int((ratios <= 1.1).sum())}, 1.1-2x: "
            f"{int(((ratios > 1.1) & (ratios <= 2)).sum())}, > 2x: {int((ratios > 2).sum())}"
            + (f"; above 1.1x with O(n) work (NumPy >= {OVERHEAD_S * 1e6:.0f} us, some "
               f"element copied or computed): "
               f"{sum(score(r) > TARGET and not per_call(r) for r in ok)}"
               if s == LARGE else ""))
    return "\n".join(lines)


def write_report(data, out):
    """sweep.json and sweep.md in ``out`` from ``data`` ({"env", "rows", "not_swept"})."""
    env, rows, not_swept = data["env"], data["rows"], data["not_swept"]
    sizes = [s for s in (SMALL, LARGE) if any(r["size"] == s for r in rows)]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "sweep.json"), "w") as f:
        json.dump(data, f, indent=1)
    md = [f"# ndgrad vs NumPy, per function ({env['date']})", "",
          f"`{env['command']}` on {env['machine']}, Python {env['python']}, NumPy "
          f"{env['numpy']}, commit {env['commit']}; one thread, best of {env['repeat']} "
          f"interleaved rounds of >= {env['min_time']} s; {env['seconds']:.0f} s in all. "
          f"Ratios: ndgrad's time over NumPy's (eager, no gradient recording), by the wall "
          f"clock and by the thread's CPU time (rows sorted by the CPU ratio: the wall clock "
          f"also counts waiting for a core on a shared machine); a large-input ratio above "
          f"{TARGET}x was re-timed with twice the rounds. (O(1)): NumPy took under "
          f"{OVERHEAD_S * 1e6:.0f} us on the large input (a view): the ratio is call "
          f"overhead. (views): both NumPy's and ndgrad's results are views of the input "
          f"(no element copied; `unstack`'s 1024 slices): the ratio is the cost per "
          f"returned view. Inputs: {env['sizes']}.", "",
          summary(rows, sizes), "", table(rows, sizes), "", "## Not swept", ""]
    md += [f"- `{n}`: {why}" for n, why in not_swept.items()]
    with open(os.path.join(out, "sweep.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    return sizes


def _env():
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
            "python": platform.python_version(), "numpy": np.__version__, "commit": commit}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="2 short rounds per function, no re-timing")
    p.add_argument("--only", default="", help="comma-separated names (sort, linalg.solve, "
                   "fft.) : a name, or a prefix ending in '.'")
    p.add_argument("--large-only", action="store_true", help="time the large input only")
    p.add_argument("--numpy-inputs", action="store_true",
                   help="call ndgrad's functions with NumPy arrays (as code that swapped "
                        "`import numpy as np` for ndgrad but still holds NumPy arrays does)")
    p.add_argument("--repeat", type=int, default=None)
    p.add_argument("--min-time", type=float, default=None)
    p.add_argument("--out", default=None,
                   help="folder for sweep.json and sweep.md (default benchmarks/results for "
                        "a whole sweep; a partial one, --only or --large-only, writes none "
                        "unless given this)")
    p.add_argument("--from-json", default="", metavar="PATH",
                   help="write sweep.md (and the JSON) from an earlier run's sweep.json")
    a = p.parse_args(argv)
    results = os.path.join(HERE, "results")
    if a.from_json:
        with open(a.from_json) as f:
            data = json.load(f)
        sizes = write_report(data, a.out or results)
        print(summary(data["rows"], sizes))
        print()
        print(table(data["rows"], sizes, limit=30))
        return
    global NUMPY_INPUTS
    NUMPY_INPUTS = a.numpy_inputs
    repeat = a.repeat or (2 if a.quick else 3)
    min_time = a.min_time or (0.001 if a.quick else 0.002)
    sizes = [LARGE] if a.large_only else [SMALL, LARGE]
    all_cases, not_swept = cases()
    if a.only:
        want = [w.strip() for w in a.only.split(",") if w.strip()]
        all_cases = {k: c for k, c in all_cases.items()
                     if any(k == w or (w.endswith(".") and k.startswith(w)) for w in want)}
        if not all_cases:
            p.error(f"no swept function matches {a.only!r}")
    # the harness collects garbage before each round: freeze what is alive now (ndgrad,
    # NumPy, the tables) so that each collection scans only what the round made
    gc.collect()
    gc.freeze()
    t0 = time.perf_counter()
    rows = []
    for i, case in enumerate(all_cases.values()):
        for s in sizes:
            t1 = time.perf_counter()
            try:
                row = run_case(case, s, repeat, min_time, confirm=not a.quick)
            except Exception as e:   # noqa: BLE001 (a broken builder: report, go on)
                row = {"name": case.name, "size": s, "status": "ERROR",
                       "detail": f"sweep: {type(e).__name__}: {e}", "numpy_s": None,
                       "ndgrad_s": None, "ratio": None, "cpu_ratio": None}
            row["sweep_s"] = round(time.perf_counter() - t1, 2)
            rows.append(row)
            r = f"{row['ratio']:.2f}x" if row["ratio"] is not None else row["status"]
            print(f"[{i + 1}/{len(all_cases)}] {case.name:32s} {s:5s} {r:>8s} "
                  f"{row['sweep_s']:5.1f}s {row['detail'][:70]}", flush=True)
    env = _env()
    env.update(seconds=round(time.perf_counter() - t0, 1), repeat=repeat, min_time=min_time,
               command="python benchmarks/sweep.py " + " ".join(argv or sys.argv[1:]),
               sizes={SMALL: "arrays (4, 8), 1-D 32, matrices 4x4",
                      LARGE: "arrays (1024, 1024), 1-D 2^20, matrices 256x256"})
    # a partial run never replaces the whole sweep's committed report by accident
    out = a.out or (None if a.only or a.large_only or a.numpy_inputs else results)
    if out is not None:
        write_report({"env": env, "rows": rows, "not_swept": not_swept}, out)
    print()
    print(summary(rows, sizes))
    print()
    print(table(rows, sizes, limit=30))
    missing = [n for n, why in not_swept.items() if why.startswith("NO INPUT")]
    if missing:
        print(f"\npublic functions without an input builder: {missing}")
    print(f"\nwrote {out}/sweep.json and sweep.md ({env['seconds']:.0f} s)" if out else
          f"\na partial sweep ({env['seconds']:.0f} s): the report files are left as they "
          "are (--out DIR writes this run's)")


if __name__ == "__main__":
    main()

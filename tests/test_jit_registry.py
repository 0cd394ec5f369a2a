"""nd.jit on the registry walk's cases: eager's values and gradients, or a clear error.

Every case of ``test_registry.CASES`` (each differentiable op: how to call it, on which
domain) runs eagerly and under ``nd.jit``, forward and ``nd.jit(nd.grad(F))`` of a
weighted scalar ``F`` of its outputs, and (for cases with second-order checks)
``nd.jit(nd.grad(H))`` of ``H = <grad F, v>``. A jitted result must equal eager's (to float64
rounding: the plan calls the same forward functions, and the gradient graph the same
rules), or the trace must refuse with nd.jit's own error naming the op -- never a
different value.
"""
import numpy as np
import pytest

import ndgrad as nd
from ndgrad.graph.jit import ConcretizationTypeError, TracerShapeError, Traced

from test_registry import CASES  # the registry walk's case table (not a copy)
from test_grad_fuzz import _leaves

# cases nd.jit refuses, each with the reason (the error must be nd.jit's own)
REFUSED = {
    "linalg.lstsq": "NumPy's residuals have shape (0,) or (k,) by the matrix's rank",
    "numpy.strided_view": "as_strided reads the array's memory (strides)",
    "scipy.integrate.odeint": "the ODE solver runs SciPy on host values, step by step",
}


def _inputs(case, seed):
    rng = np.random.default_rng(seed)
    raw = [rng.uniform(case.low, case.high, size=s) for s in case.shapes]
    if case.prep is not None:
        raw = list(case.prep(*raw))
    return [np.asarray(r, dtype=np.float64) for r in raw]


def _scalarized(f, weights):
    """F(*xs): the floating outputs of f weighted by fixed weights, summed (a real
    scalar); eager Arrays and traced values alike."""
    def F(*xs):
        total = None
        for k, o in enumerate(_leaves(f(*xs))):
            if not isinstance(o, (nd.Array, Traced)) or o.dtype.kind not in "fc":
                continue
            w = weights(k, tuple(o.shape))
            if o.dtype.kind == "c":
                term = nd.sum(nd.real(o) * w) + nd.sum(nd.imag(o) * w[::-1] if w.ndim
                                                       else nd.imag(o) * w)
            else:
                term = nd.sum(o * nd.asarray(w.astype(o.dtype)))
            total = term if total is None else total + term
        return total if total is not None else nd.asarray(0.0)
    return F


def _weights():
    cache = {}
    rng = np.random.default_rng(7)

    def w(k, shape):
        if (k, shape) not in cache:
            cache[(k, shape)] = rng.standard_normal(shape)
        return cache[(k, shape)]
    return w


def _same(a, b, what):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, f"{what}: shape {a.shape} under nd.jit, {b.shape} eager"
    assert a.dtype == b.dtype, f"{what}: dtype {a.dtype} under nd.jit, {b.dtype} eager"
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-13, equal_nan=True, err_msg=what)


def _run(case, xs):
    """(eager outputs, jitted outputs) of the case's function."""
    eager = case.fn(*[nd.asarray(x) for x in xs])
    jitted = nd.jit(case.fn)(*[nd.asarray(x) for x in xs])
    return _leaves(eager), _leaves(jitted)


@pytest.mark.parametrize("name", sorted(CASES))
def test_jit_matches_eager(name):
    case = CASES[name]
    xs = _inputs(case, 0)
    try:
        eager, jitted = _run(case, xs)
    except (ConcretizationTypeError, TracerShapeError) as e:
        assert name in REFUSED, f"{name}: nd.jit refused: {e}"
        return
    assert len(eager) == len(jitted)
    for k, (e, j) in enumerate(zip(eager, jitted)):
        if isinstance(e, nd.Array):
            assert isinstance(j, nd.Array), f"{name} output {k}: {type(j)}"
            _same(j, e, f"{name} output {k}")
    # the gradient of a weighted sum of the outputs, forward and backward compiled together
    F = _scalarized(case.fn, _weights())
    nums = tuple(range(len(xs)))
    ge = nd.grad(F, argnums=nums)(*[nd.asarray(x) for x in xs])
    gj = nd.jit(nd.grad(F, argnums=nums))(*[nd.asarray(x) for x in xs])
    for k, (a, b) in enumerate(zip(gj, ge)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-9, atol=1e-12,
                                   err_msg=f"{name}: gradient {k} under nd.jit")
    # second order (reverse over reverse), where the case has one: the gradient of
    # <grad F, v>, built as graph from graph
    if case.order >= 2:
        v = [np.random.default_rng(3).standard_normal(x.shape) for x in xs]

        def H(*a):
            gs = nd.grad(F, argnums=nums)(*a)
            return sum(nd.sum(g * nd.asarray(vi)) for g, vi in zip(gs, v))
        he = nd.grad(H, argnums=nums)(*[nd.asarray(x) for x in xs])
        hj = nd.jit(nd.grad(H, argnums=nums))(*[nd.asarray(x) for x in xs])
        for k, (a, b) in enumerate(zip(hj, he)):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-9, atol=1e-11,
                                       err_msg=f"{name}: second-order gradient {k}")
    # the compiled function is reused for new values of the same signature
    xs2 = _inputs(case, 1)
    f = nd.jit(case.fn)
    f(*[nd.asarray(x) for x in xs])
    for k, (e, j) in enumerate(zip(_leaves(case.fn(*[nd.asarray(x) for x in xs2])),
                                   _leaves(f(*[nd.asarray(x) for x in xs2])))):
        if isinstance(e, nd.Array):
            _same(j, e, f"{name} output {k}, second values")
    assert f.trace_count == 1

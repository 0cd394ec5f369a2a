"""Every differentiable op in the registry, checked against finite differences.

The test walks ``ndgrad._ops.registry.REGISTRY``: an op with a gradient rule must have a
case here (how to call it, and the domain its inputs are drawn from) or an exemption
with its reason. Cases run on the numpy and array_api_strict backends, first and second
order, with hypothesis-drawn float64 inputs away from kinks.
"""
import math
import os
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

import ndgrad as nd
from ndgrad._ops.elementwise import complex_from_parts
from helpers import host  # noqa: E402  (an explicit copy off any device)
from ndgrad._ops.registry import REGISTRY


class Case:
    """How to exercise an op: ``fn(*arrays)`` with inputs of ``shapes`` drawn from
    ``(low, high)``; ``prep`` maps raw draws to valid inputs (e.g. SPD matrices)."""

    def __init__(self, fn, shapes, low=-2.0, high=2.0, order=2, prep=None, eps=1e-6):
        self.fn, self.shapes, self.low, self.high = fn, shapes, low, high
        self.order, self.prep, self.eps = order, prep, eps


def _spd(a):
    n = a.shape[-1]
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _distinct(a):  # values apart from each other (no ties for sort/max/min)
    flat = a.ravel()
    order = np.argsort(flat, kind="stable")
    flat[order] = flat[order] + np.arange(flat.size) * 0.1
    return flat.reshape(a.shape)


S, V, M = (3,), (4,), (3, 3)
E = {}
# elementwise: (domain low, high)
for name, lo, hi in [
        ("abs", 0.1, 2), ("acos", -0.9, 0.9), ("acosh", 1.2, 3), ("asin", -0.9, 0.9),
        ("asinh", -2, 2), ("atan", -2, 2), ("atanh", -0.9, 0.9), ("cos", -2, 2),
        ("cosh", -2, 2), ("exp", -2, 2), ("expm1", -2, 2), ("log", 0.2, 3), ("log1p", -0.5, 2),
        ("log2", 0.2, 3), ("log10", 0.2, 3), ("negative", -2, 2), ("positive", -2, 2),
        ("real", -2, 2), ("conj", -2, 2), ("reciprocal", 0.3, 2), ("sin", -2, 2),
        ("sinh", -2, 2), ("sqrt", 0.2, 3), ("square", -2, 2), ("tan", -1.2, 1.2),
        ("tanh", -2, 2)]:
    E[name] = Case(getattr(nd, name), [S], lo, hi)
for name, lo, hi in [("add", -2, 2), ("subtract", -2, 2), ("multiply", -2, 2),
                     ("divide", 0.3, 2), ("atan2", 0.3, 2), ("hypot", 0.3, 2),
                     ("logaddexp", -2, 2), ("pow", 0.3, 2), ("copysign", 0.3, 2)]:
    E[name] = Case(getattr(nd, name), [(2, 3), (3,)], lo, hi)
def _apart(a, b):  # no ties: the kink of maximum/minimum is not differentiable
    return a, np.where(np.abs(b - a) < 0.1, a + 0.2, b)


def _off_multiples(x, y):  # x/y away from integers, where remainder jumps
    return y * (np.floor(x / y) + 0.5), y


E["maximum"] = Case(nd.maximum, [S, S], prep=_apart)
E["minimum"] = Case(nd.minimum, [S, S], prep=_apart)
# maximum/minimum's gradient rule (one op): recorded when the cotangent depends on the
# inputs; differentiated here through the cotangent (the weight is piecewise constant)
E["tie_share"] = Case(lambda a: (
    nd.grad(lambda u: nd.sum(nd.maximum(u, 0.25) * a))(a),
    nd.grad(lambda v: nd.sum(nd.minimum(0.25, v) * a * a))(a)), [S],
    prep=lambda a: (np.where(np.abs(a - 0.25) < 0.1, a + 0.2, a),))
E["remainder"] = Case(nd.remainder, [S, S], 0.3, 2, prep=_off_multiples)
E["clip"] = Case(lambda x: nd.clip(x, -1.0, 1.0), [S], prep=lambda a: (
    np.where(np.abs(np.abs(a) - 1) < 0.05, a * 0.9, a),))
E["where"] = Case(lambda a, b: nd.where(a > 0, a, b), [S, S],
                  prep=lambda a, b: (np.where(np.abs(a) < 0.05, 0.3, a), b))
E["copy"] = Case(lambda x: nd.asarray(x, copy=True), [S])
# imag needs complex input (built here from two real draws; test_grad_fuzz.py draws more)
E["imag"] = Case(lambda a, b: nd.imag(nd.astype(a, nd.complex128) + nd.astype(
    b, nd.complex128) * 1j) * a, [S, S])
# sign: piecewise constant for real input (no cotangent), z / |z| for complex input (a
# smooth function away from 0: its gradient was taken as 0)
E["sign"] = Case(lambda a, b: nd.real(nd.sign(a + b * 1j) * (0.3 - 0.7j)) * a
                 + nd.sign(a) * b, [S, S],
    prep=lambda a, b: (np.where(np.abs(a) < 0.1, a + 0.3, a), b))

# the complex array from its parts (``x.real = v``, ``x.imag = v``), read back by a real
# function
E["complex_from_parts"] = Case(lambda a, b: (lambda z: nd.real(z * nd.conj(z)) * a + nd.imag(
    z) ** 3)(complex_from_parts(a, b, np.complex128)), [S, S])

CASES = dict(E)
CASES.update({
    # creation / dtype
    "tril": Case(nd.tril, [M]), "triu": Case(lambda x: nd.triu(x, k=1), [M]),
    # float32 in the middle: a linear map, so a large step keeps rounding out of the check
    "astype": Case(lambda x: nd.astype(x, nd.float32) * 1.0, [S], order=1, eps=1e-2),
    # statistical
    "sum": Case(lambda x: nd.sum(x, axis=0), [(2, 3)]),
    "prod": Case(lambda x: nd.prod(x, axis=1), [(2, 3)]),
    "mean": Case(lambda x: nd.mean(x, axis=(0, 1), keepdims=True), [(2, 3)]),
    "var": Case(lambda x: nd.var(x, axis=0, correction=1), [(3, 2)]),
    "std": Case(lambda x: nd.std(x), [V], prep=lambda a: (_distinct(a),)),
    "max": Case(lambda x: nd.max(x, axis=1), [(2, 3)], prep=lambda a: (_distinct(a),)),
    "min": Case(lambda x: nd.min(x), [(2, 3)], prep=lambda a: (_distinct(a),)),
    "cumulative_sum": Case(lambda x: nd.cumulative_sum(x, axis=1), [(2, 3)]),
    "cumulative_prod": Case(lambda x: nd.cumulative_prod(x, axis=0), [(3, 2)], 0.3, 2),
    "logsumexp": Case(lambda x: nd.logsumexp(x, axis=1), [(2, 3)]),
    "diff": Case(lambda x: nd.diff(x), [V]),
    "sort": Case(lambda x: nd.sort(x, descending=True), [V], prep=lambda a: (_distinct(a),)),
    # manipulation
    "reshape": Case(lambda x: nd.reshape(x, (3, 2)), [(2, 3)]),
    "broadcast_to": Case(lambda x: nd.broadcast_to(x, (2, 3)), [S]),
    "stack": Case(lambda a, b: nd.stack([a, b], axis=1), [S, S]),
    "concat": Case(lambda a, b: nd.concat([a, b], axis=0), [(2, 3), (1, 3)]),
    "expand_dims": Case(lambda x: nd.expand_dims(x, axis=0), [S]),
    "flip": Case(lambda x: nd.flip(x, axis=0), [(2, 3)]),
    "moveaxis": Case(lambda x: nd.moveaxis(x, 0, 1), [(2, 3)]),
    "permute_dims": Case(lambda x: nd.permute_dims(x, (1, 0)), [(2, 3)]),
    "repeat": Case(lambda x: nd.repeat(x, 2, axis=0), [(2, 3)]),
    "roll": Case(lambda x: nd.roll(x, 1, axis=1), [(2, 3)]),
    "squeeze": Case(lambda x: nd.squeeze(x, axis=0), [(1, 3)]),
    "tile": Case(lambda x: nd.tile(x, (2, 1)), [(2, 3)]),
    "unstack": Case(lambda x: nd.unstack(x)[1], [(2, 3)]),
    "matrix_transpose": Case(nd.matrix_transpose, [(2, 3)]),
    # indexing
    # (index lists become index arrays on the operand's device)
    "getitem": Case(lambda x: (x[::-1, 1:], x[[1, 0, 1], [0, 0, 2]], x[nd.asarray(
        [[True, False, True], [False, True, True]], device=x.device)]), [(2, 3)]),
    "scatter_add": Case(lambda x: nd.grad(lambda y: nd.sum(y[[0, 0, 1]] * x))(
        nd.zeros_like(x)), [S], order=1),
    "take": Case(lambda x: nd.take(x, [2, 0, 2]), [S]),
    # NumPy indexing inside gradient rules (the scatter's rule): recorded when a gradient
    # whose cotangent depends on x is differentiated
    "getitem_advanced": Case(lambda x: (x[[1, 0, 1], [0, 0, 2]], x[nd.asarray(
        [[True, False, True], [False, True, True]], device=x.device)]), [(2, 3)]),
    "gather": Case(lambda x: nd.grad(lambda y: nd.sum(y[[0, 0, 2]] ** 3))(x) * x, [S]),
    # the gradients of take / take_along_axis (scatters whose indices are an input)
    "take_scatter": Case(lambda x: nd.grad(lambda y: nd.sum(nd.take(
        y, nd.asarray([2, 0, 2], device=y.device)) ** 3))(x), [S]),
    "take_along_scatter": Case(lambda x: nd.grad(lambda y: nd.sum(nd.take_along_axis(
        y, nd.asarray([[1, 1], [0, 2]], device=y.device), axis=1) ** 3))(x), [(2, 3)]),
    "take_along_axis": Case(lambda x: nd.take_along_axis(
        x, nd.asarray([[1, 1], [0, 2]], device=x.device), axis=1), [(2, 3)]),
    # linear algebra
    "matmul": Case(nd.matmul, [(2, 3), (3, 2)]),
    "tensordot": Case(lambda a, b: nd.tensordot(a, b, axes=1), [(2, 3), (3, 2)]),
    "vecdot": Case(nd.vecdot, [(2, 3), (2, 3)]),
})
# the linalg and fft extensions' ops (test_linalg.py / test_fft.py check every option and order)
from registry_cases_linalg_fft import registry_cases  # noqa: E402
CASES.update(registry_cases(Case, M, S, V, _spd))
from registry_cases_numpy import registry_cases as numpy_cases  # noqa: E402  (NumPy layer)
CASES.update(numpy_cases(Case))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "tf"))  # graph mode, ndgrad.tf
from registry_cases_tf import registry_cases as tf_cases, exemptions as tf_exempt  # noqa: E402
CASES.update(tf_cases(Case))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "scipy"))  # ndgrad.scipy
from registry_cases_scipy import registry_cases as scipy_cases  # noqa: E402
CASES.update(scipy_cases(Case))


def _draw(data, shape, low, high):
    n = int(np.prod(shape))
    vals = data.draw(st.lists(st.floats(low, high, allow_nan=False, width=64),
                              min_size=n, max_size=n))
    return host(vals, dtype=np.float64).reshape(shape)


def _case_ids():
    return sorted(CASES)


def test_every_differentiable_op_has_a_gradient_case():
    missing = [name for name, op in REGISTRY.items()
               if op.differentiable and name not in CASES and name not in EXEMPT
               and not name.startswith("custom_vjp:")]
    assert not missing, f"ops with gradient rules but no gradient check: {missing}"


def test_every_case_names_a_registered_op():
    unknown = [n for n in CASES if n not in REGISTRY]
    assert not unknown, f"cases for ops not in the registry: {unknown}"


def test_non_differentiable_ops_say_why():
    silent = [name for name, op in REGISTRY.items()
              if not op.differentiable and not op.nondiff_reason and name not in EXEMPT]
    assert not silent, f"ops without a gradient rule and without a reason: {silent}"


# ops checked elsewhere, or whose gradient is checked through another op, with why
EXEMPT = {
    "setitem": "a write; checked by the in-place tests in test_autograd.py",
    "select": "the output selector of multi-output ops; exercised by every multi op",
    "trace_input": "the identity the functional verbs insert; exercised by nested grads",
    "to_device": "moves between backends; checked in test_autograd device tests",
}
EXEMPT.update(tf_exempt())


@pytest.mark.parametrize("name", _case_ids())
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_gradient_matches_finite_differences(name, data, device):
    if name not in REGISTRY:
        pytest.skip(f"{name} is not registered")
    case = CASES[name]
    raw = [_draw(data, s, case.low, case.high) for s in case.shapes]
    if case.prep is not None:
        raw = list(case.prep(*raw))
    args = [nd.asarray(r, device=device) for r in raw]
    nd.check_grads(case.fn, *args, order=case.order, eps=case.eps, rtol=1e-4, atol=1e-5)


def _seeded_case(name):
    """The case, a generator seeded by its name, and one draw of its inputs (prepared)."""
    if name not in REGISTRY:
        pytest.skip(f"{name} is not registered")
    case = CASES[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    raw = [rng.uniform(case.low, case.high, size=s) for s in case.shapes]
    if case.prep is not None:
        raw = list(case.prep(*raw))
    return case, rng, raw


@pytest.mark.parametrize("name", _case_ids())
def test_a_complex_cotangent_into_a_real_output(name):
    # real(sum(c * f(x))) for complex c is sum(real(c) * f(x)) when f's outputs are real:
    # the same gradient. irfft, hfft and irfftn's rules took rfft of a complex cotangent
    # and raised; a rule must take such a cotangent (its real part is what counts)
    case, rng, raw = _seeded_case(name)
    args = [nd.asarray(r) for r in raw]

    def outputs(*a):
        out = case.fn(*a)
        return out if isinstance(out, (tuple, list)) else (out,)
    shapes = [tuple(o.shape) for o in outputs(*args)]
    cs = [rng.standard_normal(s) + 1j * rng.standard_normal(s) for s in shapes]
    nums = tuple(range(len(args)))
    want = nd.grad(lambda *a: sum(nd.sum(nd.asarray(c.real) * o)
                                  for c, o in zip(cs, outputs(*a))), nums)(*args)
    got = nd.grad(lambda *a: nd.real(sum(nd.sum(nd.asarray(c) * o)
                                         for c, o in zip(cs, outputs(*a)))), nums)(*args)
    for w, g in zip(want, got):
        assert np.asarray(g).dtype == np.asarray(w).dtype
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-10, atol=1e-12)


def _floating_leaves(out):
    if isinstance(out, (tuple, list)):
        return [leaf for o in out for leaf in _floating_leaves(o)]
    if hasattr(out, "_asdict"):
        return _floating_leaves(tuple(out))
    return [out] if isinstance(out, nd.ndarray) and out.dtype.kind in "fc" else []


@pytest.mark.parametrize("name", _case_ids())
def test_a_complex_cotangent_into_a_real_output_of_complex_inputs(name):
    # The same with complex inputs, for every case that takes them and has a real output
    # (astype(z, float32), lstsq's residuals): there the cotangent's imaginary part would
    # meet complex factors on its way back, a wrong gradient with no error
    case, rng, raw = _seeded_case(name)
    zs = [r + 1j * rng.uniform(-0.3, 0.3, size=np.shape(r))
          if np.asarray(r).dtype.kind == "f" else r for r in raw]
    args = [nd.asarray(z) for z in zs]
    try:
        outs = _floating_leaves(case.fn(*args))
    except (TypeError, ValueError, np.linalg.LinAlgError):
        pytest.skip("the case takes no complex inputs")
    if not any(o.dtype.kind == "f" for o in outs):
        pytest.skip("no real output")
    cs = [rng.standard_normal(o.shape) + 1j * rng.standard_normal(o.shape) for o in outs]
    real_c = [c.real if o.dtype.kind == "f" else c for c, o in zip(cs, outs)]
    nums = tuple(i for i, z in enumerate(zs) if np.iscomplexobj(z))

    def loss(weights):
        return lambda *a: nd.real(sum(nd.sum(nd.asarray(c) * o) for c, o in zip(
            weights, _floating_leaves(case.fn(*a)))))
    want = nd.grad(loss(real_c), nums)(*args)
    got = nd.grad(loss(cs), nums)(*args)
    for w, g in zip(want, got):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-9, atol=1e-11)

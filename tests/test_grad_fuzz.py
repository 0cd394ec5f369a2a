"""Gradient fuzz over the whole registry: reverse, forward and both second-order modes
against central finite differences, on drawn inputs and program shapes.

The cases (how to call each op, on which domain) are the registry walk's table,
``test_registry.CASES``; this file adds the ways a user meets an op that the walk does
not: complex inputs (perturbed along real and imaginary directions separately), the
same array passed twice, a constant sharing the differentiated input's buffer, 0-d and
NumPy-scalar operands, and in-place idioms on an intermediate (``y = x * 1; y[...] op=``).

For a case ``f`` and inputs ``xs`` the checked function is ``F(xs)``, a real scalar: the
outputs weighted by fixed random weights (real and imaginary parts separately). With a
random direction ``T`` (one array per input; complex inputs get a real and then an
imaginary direction) and JAX's convention (the cotangent ``c`` of ``z`` stands for
``dz -> Re(sum(c * dz))``):

- reverse: ``Re <grad F(xs), T>`` against ``(F(xs + eT) - F(xs - eT)) / 2e``;
- forward: ``jvp(F, xs, T)`` against the same number;
- forward-over-reverse: ``jvp(grad F, xs, T)`` against finite differences of ``grad F``;
- reverse-over-reverse: ``grad`` of ``H(xs) = Re <grad F(xs), V>`` (V fixed) along ``T``.

Directional checks cost two evaluations per direction whatever the input size, and a
wrong rule fails them for almost every direction. Inputs come from each case's domain
(its ``prep`` keeps them away from kinks and degeneracies), so tolerances stay tight:
relative 1e-7 at first order, 1e-6 at second (central differences in float64 with the
case's step, 1e-6 unless the case says otherwise).
"""
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings, strategies as st

import ndgrad as nd
from ndgrad._ops.registry import REGISTRY

from test_registry import CASES, E  # the registry walk's case table (not a copy)

# CI runs a bounded number of examples per case and variant; the slow variant 20x that
CI_EXAMPLES = 2
SLOW_EXAMPLES = 20 * CI_EXAMPLES


def _budgets():
    return [pytest.param(CI_EXAMPLES, id="ci"),
            pytest.param(SLOW_EXAMPLES, id="slow", marks=pytest.mark.slow)]


def _run(budget, body):
    """Run ``body(data)`` as a hypothesis test with ``budget`` examples (derandomized)."""
    # (no shrinking: a failure is reported as drawn, which keeps a red run short)
    @settings(max_examples=budget, derandomize=True, deadline=None, database=None,
              phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def inner(data):
        body(data)
    inner()


# -- finite differences and the four modes ----------------------------------------------
def _leaves(out):
    if isinstance(out, (tuple, list)):
        return [leaf for o in out for leaf in _leaves(o)]
    if hasattr(out, "_asdict"):
        return _leaves(tuple(out))
    return [out]


class Scalarized:
    """``F(*xs)``: a real scalar from ``f``'s outputs, weighted by fixed random weights."""

    def __init__(self, f, seed=0):
        self.f, self.rng, self.weights = f, np.random.default_rng(seed), {}

    def _w(self, k, shape):
        if k not in self.weights:
            self.weights[k] = (self.rng.standard_normal(shape), self.rng.standard_normal(shape))
        return self.weights[k]

    def __call__(self, *xs):
        total = None
        for k, o in enumerate(_leaves(self.f(*xs))):
            if not isinstance(o, nd.Array) or o.dtype.kind not in "fc":
                continue
            wr, wi = self._w(k, tuple(o.shape))
            if o.dtype.kind == "c":
                term = nd.sum(nd.real(o) * wr) + nd.sum(nd.imag(o) * wi)
            else:
                term = nd.sum(o * nd.asarray(wr.astype(o.dtype)))
            total = term if total is None else total + term
        return total if total is not None else nd.asarray(0.0)


def _np(a):
    return np.asarray(a)


def _shifted(xs, ts, e):
    return [nd.asarray(_np(x) + e * t) for x, t in zip(xs, ts)]


def _pair(gs, ts):
    """JAX's pairing of cotangents with tangents: Re(sum(g * t)) over all inputs."""
    return sum(float(np.real(np.sum(_np(g) * t))) for g, t in zip(gs, ts))


def _close(actual, expected, scale, rtol, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    err = np.max(np.abs(actual - expected)) if actual.size else 0.0
    bound = rtol * (scale + np.max(np.abs(expected), initial=0.0))
    assert np.isfinite(actual).all() and err <= bound, (
        f"{what}: differs from finite differences by {err:.3g} (allowed {bound:.3g})\n"
        f"analytic: {actual}\nnumeric:  {expected}")


def _directions(xs, rng):
    """Random directions, one per input; complex inputs first along real, then along
    imaginary directions (two direction sets)."""
    real = [rng.standard_normal(_np(x).shape) for x in xs]
    sets = [real]
    if any(_np(x).dtype.kind == "c" for x in xs):
        sets.append([1j * rng.standard_normal(_np(x).shape) if _np(x).dtype.kind == "c"
                     else np.zeros(_np(x).shape) for x in xs])
    return sets


# Central differences in float64 with a step of 1e-6 err by about 1e-10 of the function's
# size (rounding) plus 1e-12 of its third derivative (truncation), so these bounds, relative
# to the size of the function (its gradient, at second order) plus the compared value, are
# a few hundred times the noise, and far below a wrong factor in a rule: a rule off by 1e-4
# relative fails them.
RTOL1 = 1e-7
RTOL2 = 1e-6


def check_modes(f, xs, eps=1e-6, order=2, modes=("rev", "fwd", "fwdrev", "revrev"), seed=0):
    """Check ``f`` (any outputs) at inputs ``xs`` (Arrays, all differentiated) in every
    mode of ``modes`` against central finite differences."""
    # a case with a large step computes in float32 somewhere (astype): checked to float32's
    # precision (its rounding, 1e-7 of F, divided by the step)
    loose = 1e3 if eps > 1e-4 else 1.0
    rtol1, rtol2 = RTOL1 * loose, RTOL2 * loose
    F = Scalarized(f, seed)
    rng = np.random.default_rng(seed + 1)
    n = len(xs)
    argnums = tuple(range(n))
    gradF = nd.grad(F, argnums=argnums)
    scale = 1.0 + abs(float(F(*xs)))
    g0 = gradF(*xs)
    gscale = 1.0 + sum(float(np.max(np.abs(_np(g)), initial=0.0)) for g in g0)
    for ts in _directions(xs, rng):
        fd = (float(F(*_shifted(xs, ts, eps))) - float(F(*_shifted(xs, ts, -eps)))) / (2 * eps)
        if "rev" in modes:
            _close(_pair(g0, ts), fd, scale, rtol1, "reverse")
        if "fwd" in modes:
            _, tan = nd.jvp(F, tuple(xs), tuple(nd.asarray(t.astype(_np(x).dtype))
                                                for t, x in zip(ts, xs)))
            _close(np.real(_np(tan)), fd, scale, rtol1, "forward (jvp)")
        if order < 2:
            continue
        gp = gradF(*_shifted(xs, ts, eps))
        gm = gradF(*_shifted(xs, ts, -eps))
        fd_g = [(_np(a) - _np(b)) / (2 * eps) for a, b in zip(gp, gm)]
        if "fwdrev" in modes:
            _, tg = nd.jvp(gradF, tuple(xs), tuple(nd.asarray(t.astype(_np(x).dtype))
                                                   for t, x in zip(ts, xs)))
            for k in range(n):
                _close(_fold(_np(tg[k]), xs[k]), _fold(fd_g[k], xs[k]), gscale, rtol2,
                       f"forward-over-reverse (input {k})")
        if "revrev" in modes:
            vs = [rng.standard_normal(_np(x).shape) + (1j * rng.standard_normal(
                _np(x).shape) if _np(x).dtype.kind == "c" else 0) for x in xs]

            def H(*ys):
                total = None
                for g, v in zip(gradF(*ys), vs):
                    term = nd.sum(g * nd.asarray(v))
                    term = nd.real(term) if term.dtype.kind == "c" else term
                    total = term if total is None else total + term
                return total
            hh = nd.grad(H, argnums=argnums)(*xs)
            fd_h = _pair(fd_g, vs)  # FD of H along ts
            _close(_pair(hh, ts), fd_h, gscale, rtol2, "reverse-over-reverse")


def _fold(g, x):
    """A cotangent as the real vector it stands for (real inputs: its real part)."""
    g = np.asarray(g)
    return g if _np(x).dtype.kind == "c" else np.real(g)


# -- drawing inputs from a case ----------------------------------------------------------
def _floats(data, shape, low, high):
    n = math.prod(shape)
    vals = data.draw(st.lists(st.floats(low, high, allow_nan=False, width=64),
                              min_size=n, max_size=n))
    return np.asarray(vals, dtype=np.float64).reshape(shape)


def _real_inputs(case, data, shapes=None):
    raw = [_floats(data, s, case.low, case.high) for s in (shapes or case.shapes)]
    if case.prep is not None:
        raw = [np.asarray(r, dtype=np.float64) for r in case.prep(*raw)]
    return raw


def _order(case):
    return case.order


# cases whose op is not differentiable to second order everywhere in the case's domain,
# or whose second order is checked elsewhere: none for now (an entry needs its reason)
SECOND_ORDER_SKIP = {}


def _case(name, mode=None):
    """The registry case of ``name``; skips a second-order mode of a first-order case."""
    if name not in REGISTRY:
        pytest.skip(f"{name} is not registered")
    case = CASES[name]
    if mode in ("fwdrev", "revrev") and case.order < 2:
        pytest.skip(f"{name}: the registry case is first order only")
    return case


NAMES = sorted(CASES)
MODES = ("rev", "fwd", "fwdrev", "revrev")


def _modes(name, kind):
    """The modes as parameters, each xfailed where the ENGINE (not the rule) is known to
    fail it; see ENGINE_XFAILS."""
    out = []
    for m in MODES:
        reason = _engine_or_rule_xfail(name, kind, m)
        marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
        out.append(pytest.param(m, id=m, marks=marks))
    return out


def _engine_xfail(name, kind, mode):
    for (names, kinds, modes), reason in ENGINE_XFAILS.items():
        if (names is None or name in names) and kind in kinds and mode in modes:
            return "ENGINE: " + reason
    return None


# Failures that are the autograd engine's (ndgrad/_autograd), not a rule's: (op names or
# None for all, input kinds, modes) -> what fails. strict=False: they pass once it is fixed.
ENGINE_XFAILS = {}   # none left since the engine and rule fixes were merged


# Rules known to be wrong and not fixed yet (a rule's failure, not the engine's): kept
# visible as xfails with what fails, so the fuzz stays green and the gap stays listed.
RULE_XFAILS = {}


def _engine_or_rule_xfail(name, kind, mode):
    for (names, kinds, modes), reason in RULE_XFAILS.items():
        if name in names and kind in kinds and mode in modes:
            return reason
    return _engine_xfail(name, kind, mode)


def _params(names, kind):
    return [pytest.param(n, m.values[0], id=f"{n}-{m.id}", marks=m.marks)
            for n in names for m in _modes(n, kind)]


@pytest.mark.parametrize("budget", _budgets())
@pytest.mark.parametrize("name, mode", _params(NAMES, "real"))
def test_real_inputs(name, mode, budget):
    case = _case(name, mode)

    def body(data):
        xs = [nd.asarray(r) for r in _real_inputs(case, data)]
        check_modes(case.fn, xs, eps=case.eps, order=case.order, modes=(mode,))
    _run(budget, body)


# -- complex inputs ----------------------------------------------------------------------
# Cases whose function takes complex inputs as they stand: the real draw (after the case's
# prep) plus an imaginary part of at most 0.5, which keeps every elementwise domain of the
# table off its branch cuts (they lie on the real axis beyond the real domain, or on the
# imaginary axis beyond +-1) and away from poles.
COMPLEX_AS_IS = [
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "conj", "cos", "cosh", "exp",
    "expm1", "log", "log10", "log1p", "log2", "negative", "positive", "real", "reciprocal",
    "sin", "sinh", "sqrt", "square", "tan", "tanh",
    "add", "subtract", "multiply", "divide", "pow",
    "copy", "sum", "prod", "mean", "var", "std", "cumulative_sum", "cumulative_prod", "diff",
    "reshape", "broadcast_to", "stack", "concat", "expand_dims", "flip", "moveaxis",
    "permute_dims", "repeat", "roll", "squeeze", "tile", "unstack", "matrix_transpose",
    "getitem", "getitem_advanced", "take", "take_along_axis", "tril", "triu",
    "matmul", "tensordot", "vecdot", "einsum",
    "linalg.trace", "linalg.diagonal", "linalg.cross", "linalg.outer",
    "linalg.matrix_power", "linalg.vector_norm", "linalg.norm",
    "fft.fft", "fft.fftn", "fft.fftshift", "fft.ifftshift",
]


def _c_well(z):  # a well-conditioned general complex matrix
    return z + 3 * np.eye(z.shape[-1])


def _c_unitary(z):
    return np.linalg.qr(z + 3 * np.eye(z.shape[-1]))[0]


def _c_hpd(z):  # Hermitian positive definite
    return z @ z.conj().T + z.shape[-1] * np.eye(z.shape[-1])


def _c_herm_distinct(z):  # Hermitian, eigenvalues 1, 2, 3
    u = _c_unitary(z)
    return u @ np.diag([1.0, 2.0, 3.0]) @ u.conj().T


def _c_eig_distinct(z):  # general complex, eigenvalues 1, 2, 3
    p = np.eye(3) + 0.2 * z
    return p @ np.diag([1.0, 2.0, 3.0]) @ np.linalg.inv(p)


def _c_svd_distinct(z):  # 4 x 3, singular values 3, 2, 1
    u = _c_unitary(np.resize(z, (4, 4)) + 0.5j)[:, :3]
    return u @ np.diag([3.0, 2.0, 1.0]) @ _c_unitary(z[:3]).conj().T


_LA = nd.linalg
M3 = (3, 3)
_GENERIC = (lambda r: r.standard_normal((4, 3)) + 1j * r.standard_normal((4, 3)))(
    np.random.default_rng(0))


def _sq(v):  # |v|**2, smooth also where v == 0 (abs has a kink there)
    return nd.real(v * nd.conj(v))

# complex cases of the linalg ops that need a structured input (Hermitian, distinct
# eigen/singular values) or a loss that does not depend on each vector's phase:
# name -> (function, shapes, prep of the complex draws)
COMPLEX_STRUCTURED = {
    "linalg.inv": (_LA.inv, [M3], lambda a: (_c_well(a),)),
    "linalg.det": (_LA.det, [M3], lambda a: (_c_well(a),)),
    "linalg.slogdet": (lambda x: tuple(_LA.slogdet(x)), [M3], lambda a: (_c_well(a),)),
    "linalg.solve": (_LA.solve, [M3, (3, 2)], lambda a, b: (_c_well(a), b)),
    "linalg.cholesky": (lambda x: (_LA.cholesky(x), _LA.cholesky(x, upper=True) ** 2), [M3],
                        lambda a: (_c_hpd(a),)),
    "linalg.eigh": (lambda x: (lambda r: (r.eigenvalues, _sq(r.eigenvectors)))(
        _LA.eigh(x)), [M3], lambda a: (_c_herm_distinct(a),)),
    "linalg.eigvalsh": (_LA.eigvalsh, [M3], lambda a: (_c_herm_distinct(a),)),
    "linalg.eig": (lambda x: (lambda r: nd.sum(r.eigenvalues * _sq(r.eigenvectors),
                                              axis=1))(_LA.eig(x)), [M3],
                   lambda a: (_c_eig_distinct(a),)),
    "linalg.eigvals": (lambda x: nd.sum(_LA.eigvals(x) ** 3), [M3],
                       lambda a: (_c_eig_distinct(a),)),
    "linalg.svd": (lambda x: (lambda r: (r.U @ r.Vh, r.S, _sq(r.U)))(
        _LA.svd(x, full_matrices=False)), [(4, 3)], lambda a: (_c_svd_distinct(a),)),
    "linalg.svdvals": (_LA.svdvals, [(4, 3)], lambda a: (_c_svd_distinct(a),)),
    "linalg.matrix_norm": (lambda x: _LA.matrix_norm(x, ord="nuc"), [(4, 3)],
                           lambda a: (_c_svd_distinct(a),)),
    "linalg.pinv": (_LA.pinv, [(3, 2)], lambda a: (a + np.eye(3, 2) * 3,)),
    # (a generic offset: Householder QR is discontinuous where a sub-column is exactly 0)
    "linalg.qr": (lambda x: tuple(_LA.qr(x)), [(4, 3)],
                  lambda a: (a + _GENERIC + np.eye(4, 3) * 4,)),
    "linalg.lstsq": (lambda a, b: (lambda r: (r[0], r[1], r[3]))(_LA.lstsq(a, b)),
                     [(4, 2), (4,)], lambda a, b: (a + np.eye(4, 2) * [4.0, 9.0], b)),
    "imag": (nd.imag, [(3,)], lambda a: (a,)),
    # z / |z|, away from 0
    "sign": (nd.sign, [(3,)], lambda a: (np.where(np.abs(a) < 0.1, a + 0.3, a),)),
}
COMPLEX_NAMES = sorted(set(COMPLEX_AS_IS) | set(COMPLEX_STRUCTURED))


def _complex_inputs(name, data):
    if name in COMPLEX_STRUCTURED:
        fn, shapes, prep = COMPLEX_STRUCTURED[name]
        zs = [_floats(data, s, -1, 1) + 1j * _floats(data, s, -1, 1) for s in shapes]
        return fn, [np.asarray(z, dtype=np.complex128) for z in prep(*zs)], 1e-6, 2
    case = CASES[name]
    re = _real_inputs(case, data)
    im = [_floats(data, r.shape, -0.5, 0.5) for r in re]
    return case.fn, [r + 1j * i for r, i in zip(re, im)], case.eps, case.order


@pytest.mark.parametrize("budget", _budgets())
@pytest.mark.parametrize("name, mode", _params(COMPLEX_NAMES, "complex"))
def test_complex_inputs(name, mode, budget):
    _case(name) if name in CASES else None

    def body(data):
        fn, zs, eps, order = _complex_inputs(name, data)
        if mode in ("fwdrev", "revrev") and order < 2:
            return
        check_modes(fn, [nd.asarray(z) for z in zs], eps=eps, order=order, modes=(mode,))
    _run(budget, body)



@pytest.mark.parametrize("name", COMPLEX_NAMES)
def test_complex_inputs_with_a_complex_cotangent_into_a_real_output(name):
    # A real output of complex inputs (slogdet's logabsdet, a norm, singular values)
    # reached by a complex cotangent (real(c * logabsdet)): only the cotangent's real part
    # counts. slogdet's rule used the whole complex cotangent, a wrong gradient with no
    # error (test_registry.py checks the same for real inputs).
    _case(name) if name in CASES else None

    def body(data):
        fn, zs, _, _ = _complex_inputs(name, data)
        args = [nd.asarray(z) for z in zs]

        def outputs(*a):
            return [o for o in _leaves(fn(*a)) if isinstance(o, nd.ndarray)
                    and o.dtype.kind in "fc"]
        outs = outputs(*args)
        if not any(o.dtype.kind == "f" for o in outs):
            return
        rng = np.random.default_rng(0)
        cs = [rng.standard_normal(o.shape) + 1j * rng.standard_normal(o.shape)
              for o in outs]
        real_c = [c.real if o.dtype.kind == "f" else c for c, o in zip(cs, outs)]
        nums = tuple(range(len(args)))

        def loss(weights):
            return lambda *a: nd.real(sum(nd.sum(nd.asarray(c) * o)
                                          for c, o in zip(weights, outputs(*a))))
        want = nd.grad(loss(real_c), nums)(*args)
        got = nd.grad(loss(cs), nums)(*args)
        for w, g in zip(want, got):
            np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-9, atol=1e-11)
    _run(2, body)

# -- the same array twice, and a constant sharing the differentiated input's buffer --------
def _alias_shape(case):
    """A shape every argument of the case accepts, for ``f(x, x, ...)`` (the first of the
    case's shapes, then square ones, for which the call works), or None."""
    rng = np.random.default_rng(0)
    square = [(s[-1], s[-1]) for s in case.shapes if len(s) == 2]  # (x @ x)
    for s in dict.fromkeys(list(case.shapes) + square):
        raw = [rng.uniform(case.low, case.high, s)] * len(case.shapes)
        if case.prep is not None:
            raw = case.prep(*raw)
        try:
            case.fn(*[nd.asarray(raw[0])] * len(case.shapes))
        except (ValueError, TypeError, IndexError, np.linalg.LinAlgError):
            continue
        return s
    return None


ALIAS_SHAPE = {n: _alias_shape(CASES[n]) for n in NAMES if len(CASES[n].shapes) >= 2
               and n in REGISTRY}
MULTI = sorted(n for n, s in ALIAS_SHAPE.items() if s is not None)
# f(t, x) at t == x is a kink of these (a tie of maximum/minimum, a jump of remainder at
# t / x == 1): not differentiable there, so f(x, x) is checked but not the shared constant
KINK_ON_DIAGONAL = {"maximum", "minimum", "remainder", "tf.maximum", "tf.minimum",
                    "tf.float_floormod"}
SHARED = [n for n in MULTI if n not in KINK_ON_DIAGONAL]


def _aliasable(case, data, name):
    """One draw for ``f(x, x, ...)`` from the first argument's domain."""
    raw = _real_inputs(case, data, [ALIAS_SHAPE[name]] * len(case.shapes))
    return nd.asarray(raw[0])


@pytest.mark.parametrize("budget", _budgets())
@pytest.mark.parametrize("name, mode", _params(MULTI, "aliased"))
def test_same_array_passed_twice(name, mode, budget):
    case = _case(name, mode)
    n = len(case.shapes)

    def body(data):
        x = _aliasable(case, data, name)
        check_modes(lambda t: case.fn(*[t] * n), [x], eps=case.eps, order=case.order,
                    modes=(mode,))
    _run(budget, body)


@pytest.mark.parametrize("budget", _budgets())
@pytest.mark.parametrize("name, mode", _params(SHARED, "shared"))
def test_constant_sharing_the_inputs_buffer(name, mode, budget):
    # grad(lambda t: f(t, x))(x): t is x's buffer; x is a constant (a penalty towards the
    # starting point, sum(w * w0) at w = w0, is the classic case)
    case = _case(name, mode)
    n = len(case.shapes)

    def body(data):
        x = _aliasable(case, data, name)
        k = data.draw(st.integers(0, n - 1), label="differentiated position")
        check_modes(lambda t: case.fn(*[t if j == k else x for j in range(n)]), [x],
                    eps=case.eps, order=case.order, modes=(mode,))
    _run(budget, body)


# -- 0-d and scalar operands ---------------------------------------------------------------
E_BINARY = sorted(n for n in E if len(E[n].shapes) == 2 and n in NAMES and n != "imag")
E_UNARY = sorted(n for n in E if len(E[n].shapes) == 1 and n in NAMES)
FORMS = ("0-d array", "NumPy scalar", "Python float")


def _as_form(v, form):
    if form == "0-d array":
        return nd.asarray(v)
    return np.float64(v) if form == "NumPy scalar" else float(v)


@pytest.mark.parametrize("budget", _budgets())
@pytest.mark.parametrize("name, mode, form", [
    pytest.param(*p.values, form, id=f"{p.id}-{form}", marks=p.marks)
    for form in FORMS for p in _params(E_BINARY, "scalar:" + form)])
def test_scalar_operands(name, mode, form, budget):
    case = _case(name)

    def body(data):
        pos = data.draw(st.integers(0, 1), label="scalar position")
        shapes = [(1,), (3,)] if pos == 0 else [(3,), (1,)]
        raw = _real_inputs(case, data, shapes)
        assume(np.all(raw[pos] == raw[pos].flat[0]))  # the prep kept the operand uniform
        s = raw[pos].flat[0]
        arr = nd.asarray(np.broadcast_to(raw[1 - pos], (3,)).copy())
        args = lambda a, b: (b, a) if pos == 0 else (a, b)  # noqa: E731
        if form == "0-d array":  # both differentiated: the array and the 0-d operand
            check_modes(lambda a, b: case.fn(*args(a, b)), [arr, nd.asarray(s)],
                        eps=case.eps, order=case.order, modes=(mode,))
        else:
            sv = _as_form(s, form)
            check_modes(lambda a: case.fn(*args(a, sv)), [arr], eps=case.eps,
                        order=case.order, modes=(mode,))
    _run(budget, body)


@pytest.mark.parametrize("budget", _budgets())
@pytest.mark.parametrize("name, mode", _params(E_UNARY, "scalar"))
def test_zero_d_input(name, mode, budget):
    case = _case(name)

    def body(data):
        raw = _real_inputs(case, data, [()])
        check_modes(case.fn, [nd.asarray(raw[0])], eps=case.eps, order=case.order,
                    modes=(mode,))
    _run(budget, body)


# -- in-place idioms on an intermediate -------------------------------------------------------
def _iop(x):
    y = x * 2.0
    y /= 2.0
    return y


def _set_all(x):
    y = nd.zeros_like(x)
    y[...] = x
    return y


def _set_part(x):
    y = x * 1.0
    if y.ndim:
        y[..., :1] = x[..., :1] * 1.0
    return y


IDIOMS = {"y = x * 2; y /= 2": _iop, "y = zeros_like(x); y[...] = x": _set_all,
          "y = x * 1; y[..., :1] = x[..., :1] * 1": _set_part}


@pytest.mark.parametrize("budget", _budgets())
@pytest.mark.parametrize("idiom", sorted(IDIOMS))
@pytest.mark.parametrize("name", NAMES)
def test_in_place_idioms(name, idiom, budget):
    case = _case(name)
    step = IDIOMS[idiom]
    reason = _engine_xfail(name, "inplace", "rev")
    if reason:
        pytest.xfail(reason)

    def body(data):
        xs = [nd.asarray(r) for r in _real_inputs(case, data)]
        check_modes(lambda a, *rest: case.fn(step(a), *rest), xs, eps=case.eps,
                    order=case.order, modes=("rev", "fwd", "revrev"))
    _run(budget, body)

"""Gradient cases for the registry walk (tests/test_registry.py) of ``ndgrad.scipy``'s ops:
``registry_cases(Case)`` returns {op name: Case}. tests/scipy/ checks every option, edge
value and order; these put each op through the walk's generic check. Ops that need SciPy
(or cupyx.scipy) skip on the strict backend, which refuses them by design."""
import importlib.util

import pytest

S = (3,)
_HAS_SCIPY = importlib.util.find_spec("scipy") is not None


def _on_cpu_needs_scipy(fn):
    def case(*args):
        if not _HAS_SCIPY and any(str(getattr(a, "device", "cpu")) == "cpu" for a in args):
            pytest.skip("SciPy is not installed")
        return fn(*args)
    return case


def _needs_library(fn):
    fn = _on_cpu_needs_scipy(fn)

    def case(*args):
        if any(str(getattr(a, "device", "cpu")) == "strict" for a in args):
            pytest.skip("computed by SciPy / cupyx.scipy: refused on array_api_strict")
        return fn(*args)
    return case


def registry_cases(Case):
    from ndgrad.scipy import special as sp
    lib = _needs_library
    std = _on_cpu_needs_scipy
    cases = {}
    for name, lo, hi in [("gamma", 0.3, 3), ("gammaln", 0.3, 3), ("digamma", 0.5, 3),
                         ("erf", -2, 2), ("erfc", -2, 2), ("erfcx", -2, 9), ("erfinv", -0.8, 0.8),
                         ("erfcinv", 0.2, 1.8), ("ndtr", -2, 2), ("ndtri", 0.1, 0.9),
                         ("log_ndtr", -5, 2), ("i0", -2, 2), ("i1", -2, 2), ("i0e", 0.2, 2),
                         ("i1e", 0.2, 2), ("j0", -3, 3), ("j1", -3, 3), ("y0", 0.5, 3),
                         ("y1", 0.5, 3)]:
        cases[f"scipy.special.{name}"] = Case(lib(getattr(sp, name)), [S], lo, hi)
    for name, lo, hi in [("expit", -3, 3), ("logit", 0.1, 0.9), ("entr", 0.2, 2)]:
        cases[f"scipy.special.{name}"] = Case(std(getattr(sp, name)), [S], lo, hi)
    for name, lo, hi in [("xlogy", 0.2, 2), ("xlog1py", 0.2, 2), ("rel_entr", 0.2, 2)]:
        cases[f"scipy.special.{name}"] = Case(std(getattr(sp, name)), [S, S], lo, hi)
    for name in ("beta", "betaln"):
        cases[f"scipy.special.{name}"] = Case(lib(getattr(sp, name)), [S, S], 0.5, 3)
    cases.update({
        "scipy.special.polygamma": Case(lib(lambda x: sp.polygamma(1, x)), [S], 0.5, 3),
        "scipy.special.multigammaln": Case(lib(lambda x: sp.multigammaln(x, 2)), [S], 1, 3),
        "scipy.special.gammainc": Case(lib(lambda x: sp.gammainc(1.5, x)), [S], 0.2, 3),
        "scipy.special.gammaincc": Case(lib(lambda x: sp.gammaincc(1.5, x)), [S], 0.2, 3),
        "scipy.special.gammainc_da": Case(lib(lambda x: sp._gammainc_da(1.5, x)), [S], 0.2, 3),
        "scipy.special.betainc": Case(lib(lambda x: sp.betainc(1.5, 2.0, x)), [S], 0.1, 0.9),
        "scipy.special.betaincc": Case(lib(lambda x: sp.betaincc(1.5, 2.0, x)), [S], 0.1, 0.9),
        "scipy.special.stdtr": Case(lib(lambda x: sp.stdtr(2.5, x)), [S], -2, 2),
        # x - 2.5 over [-2, 2] never lands on a subnormal, where SciPy's own iv is nan
        "scipy.special.iv": Case(lib(lambda x: sp.iv(2, x - 2.5)), [S], 0.5, 4.5),
        "scipy.special.ive": Case(lib(lambda x: sp.ive(2, x)), [S], 0.2, 2),
        "scipy.special.jn": Case(lib(lambda x: sp.jn(2, x)), [S], -3, 3),
        "scipy.special.yn": Case(lib(lambda x: sp.yn(2, x)), [S], 0.5, 3),
        "scipy.special.softmax": Case(std(lambda x: sp.softmax(x, axis=1)), [(2, 3)]),
        "scipy.special.log_softmax": Case(std(lambda x: sp.log_softmax(x, axis=0)), [(2, 3)]),
    })
    from ndgrad.scipy import linalg as la, signal as sig
    from ndgrad.scipy.integrate import odeint
    ode_t = [0.0, 0.5, 1.0]
    near_eye = (lambda m: (_eye_plus(m),))
    cases.update({
        "scipy.linalg.solve_triangular": Case(
            std(lambda a, b: la.solve_triangular(a, b, lower=True)), [(3, 3), (3, 2)],
            prep=lambda a, b: (_eye_plus(a, 3.0), b)),
        "scipy.linalg.expm": Case(lib(la.expm), [(3, 3)], -0.5, 0.5),
        "scipy.linalg.logm": Case(lib(la.logm), [(3, 3)], -0.3, 0.3, prep=near_eye),
        "scipy.linalg.sqrtm": Case(lib(la.sqrtm), [(3, 3)], -0.3, 0.3, prep=near_eye),
        "scipy.signal.convolve": Case(lib(lambda a, b: sig.convolve(a, b, mode="same")),
                                      [(2, 3), (2, 2)]),
        # (first order here: tests/scipy/test_scipy_integrate.py checks the second)
        "scipy.integrate.odeint": Case(
            _cpu_only(lambda y, k: odeint(lambda u, t, c: -c * u * u, y, nd_t(ode_t, y),
                                          args=(k,), rtol=1e-11, atol=1e-11)),
            [(2,), (2,)], 0.2, 1.0, order=1, eps=1e-5),
    })
    return cases


def nd_t(ts, like):
    import ndgrad as nd
    return nd.asarray(ts, device=like.device)


def _cpu_only(fn):
    fn = _on_cpu_needs_scipy(fn)

    def case(*args):
        if any(str(getattr(a, "device", "cpu")) != "cpu" for a in args):
            pytest.skip("odeint runs on the NumPy backend only (SciPy's LSODA)")
        return fn(*args)
    return case


def _eye_plus(m, k=1.0):
    import numpy as np
    return m + k * np.eye(m.shape[-1])

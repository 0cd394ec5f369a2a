"""Gradient cases for the registry walk (tests/test_registry.py) of the ops the NumPy
layer defines (``ndgrad/_numpy``): ``registry_cases(Case)`` returns {op name: Case}.
The NumPy functions built from standard ops are checked in tests/numpy/test_np_grads.py.
"""
import ndgrad as nd
from ndgrad._ops.registry import REGISTRY as _REGISTRY, apply as _apply


def registry_cases(Case):
    return {
        "einsum": Case(lambda a, b: nd.einsum("ij,jk->ik", a, b) + nd.einsum("ii->i", a @ b),
                       [(2, 2), (2, 2)]),
        # np.lib.stride_tricks: a view on NumPy, a gather on other backends
        "numpy.strided_view": Case(lambda x: nd.lib.stride_tricks.sliding_window_view(
            x, (2, 2)) * nd.lib.stride_tricks.as_strided(x, (2, 2), (8, 8)), [(3, 3)]),
        # NumPy's exact value with a surrogate's gradient (NumPy's ufuncs beyond the
        # standard: cbrt, exp2, logaddexp2, float_power, fmax ...)
        "numpy.exact_value": Case(lambda a, b: nd.cbrt(a) * nd.exp2(b) + nd.logaddexp2(a, b)
                                  + nd.float_power(a, b) + nd.fmax(a, 0.25) * nd.fmod(b, 5.0),
                                  [(3,), (3,)], low=0.5, high=2.0),
        # the cube root's own rule, 1 / (3 cbrt(x)^2), on both signs, away from 0 (its
        # value there, +inf, is pinned in test_trust6_grad_points.py)
        "numpy.cbrt": Case(lambda x: nd.cbrt(x), [(3,)], low=-2.0, high=2.0,
                           prep=lambda a: (a + (a >= 0) * 0.3 - (a < 0) * 0.3,)),
        # both branches of its rule: the series for |pi x| < 1, the closed form beyond
        "numpy.sinc": Case(lambda x: nd.sinc(x), [(6,)], low=-1.0, high=1.0),
        # i0's gradient I1 and its own, I0 - I1/x: the power series below |x| = 20, the
        # asymptotic expansion above
        "numpy.i0_series": Case(lambda x: _apply(_REGISTRY["numpy.i0_series"], (x,)) * 1e-8,
                                [(6,)], low=-30.0, high=30.0),
        "numpy.i1_series": Case(lambda x: _apply(_REGISTRY["numpy.i1_series"], (x,)) * 1e-8,
                                [(6,)], low=-30.0, high=30.0),
    }

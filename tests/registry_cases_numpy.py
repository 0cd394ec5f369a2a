"""Gradient cases for the registry walk (tests/test_registry.py) of the ops the NumPy
layer defines (``ndgrad/_numpy``): ``registry_cases(Case)`` returns {op name: Case}.
The NumPy functions built from standard ops are checked in tests/numpy/test_np_grads.py.
"""
import ndgrad as nd


def registry_cases(Case):
    return {
        "einsum": Case(lambda a, b: nd.einsum("ij,jk->ik", a, b) + nd.einsum("ii->i", a @ b),
                       [(2, 2), (2, 2)]),
        # np.lib.stride_tricks: a view on NumPy, a gather on other backends
        "numpy.strided_view": Case(lambda x: nd.lib.stride_tricks.sliding_window_view(
            x, (2, 2)) * nd.lib.stride_tricks.as_strided(x, (2, 2), (8, 8)), [(3, 3)]),
    }

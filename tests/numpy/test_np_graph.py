"""NumPy-signature functions that shadow the standard's names keep working on graph-mode
tensors: wherever the standard's function builds a graph op, ndgrad's namespace does too."""
import importlib

import pytest

import ndgrad as nd
from ndgrad._numpy._core import _STD_MODULES

tf = pytest.importorskip("ndgrad.tf")


def _calls(x):
    return {
 'sum': ((x,), {'axis': 0}), 'prod': ((x,), {}), 'mean': ((x,), {'axis': 1}), 'var': ((x,), {}), 'std': ((x,), {}),
 'max': ((x,), {'axis': 0}), 'min': ((x,), {}), 'argmax': ((x,), {'axis': 1}), 'argmin': ((x,), {'axis': 1}),
 'any': ((x > 0,), {}), 'all': ((x > 0,), {}), 'count_nonzero': ((x,), {}), 'cumulative_sum': ((x,), {'axis': 1}),
 'reshape': ((x, (3, 2)), {}), 'squeeze': ((nd.reshape(x, (1, 2, 3)),), {'axis': 0}), 'expand_dims': ((x,), {'axis': 0}),
 'flip': ((x,), {'axis': 0}), 'roll': ((x, 1), {'axis': 1}), 'stack': (([x, x],), {}), 'concat': (([x, x],), {}),
 'permute_dims': ((x, (1, 0)), {}), 'take': ((x, nd.asarray([0, 1])), {'axis': 1}), 'broadcast_to': ((x, (2, 2, 3)), {}),
 'clip': ((x, 0.0, 1.0), {}), 'where': ((x > 0, x, 0.0), {}), 'sort': ((x,), {}), 'argsort': ((x,), {}),
 'round': ((x,), {}), 'matmul': ((x, nd.ones((3, 2), dtype='float32')), {}), 'tensordot': ((x, nd.ones((3, 2), dtype='float32')), {'axes': 1}),
 'vecdot': ((x, x), {}), 'diff': ((x,), {'axis': 1}), 'tile': ((x, (2, 1)), {}), 'repeat': ((x, 2), {'axis': 0}),
 'moveaxis': ((x, 0, 1), {}), 'unstack': ((x,), {}), 'linspace': ((0.0, 1.0, 5), {}), 'zeros': ((3,), {}),
 'meshgrid': ((nd.ones(3),), {}), 'broadcast_arrays': ((x, x), {}), 'nonzero': ((x,), {}), 'real': ((x,), {}), 'imag': ((x,), {}),
 'cumulative_prod': ((x,), {'axis': 1}), 'isin': ((x, x), {}), 'searchsorted': ((nd.asarray([1.0, 2.0]), x), {}),
 'unique_values': ((x,), {}), 'take_along_axis': ((x, nd.asarray([[0], [1]])), {'axis': 1}),
 'matrix_transpose': ((x,), {}), 'logaddexp': ((x, x), {}), 'sign': ((x,), {}), 'conj': ((x,), {}), 'eye': ((2,), {}), 'full': (((2,), 1.0), {}), 'arange': ((3,), {}), 'asarray': ((x,), {}),
    }


def _standard(name):
    for m in _STD_MODULES:
        mod = importlib.import_module("ndgrad._ops." + m)
        f = mod.__dict__.get(name)
        if f is not None and callable(f):
            return f
    return None


def test_shadowing_functions_accept_graph_tensors():
    x = tf.placeholder(tf.float32, shape=(2, 3))
    broken = []
    for name, (args, kw) in _calls(x).items():
        std_f = _standard(name)
        if std_f is None or getattr(nd, name) is std_f:
            continue
        try:
            std_f(*args, **kw)
        except Exception:
            continue  # the standard's own function does not take this call either
        try:
            getattr(nd, name)(*args, **kw)
        except Exception as e:  # pragma: no cover - the failure being tested for
            broken.append(f"{name}: {type(e).__name__}: {e}")
    assert not broken, "\n".join(broken)

"""``x[idx]`` with a NumPy index array on a NumPy-backed Array (getitem's fast path):
NumPy's values and errors, a copy (never a view), and the scatter-add gradient."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
              np.uint64, np.intp]


@st.composite
def _case(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5))
    x = draw(hnp.arrays(draw(st.sampled_from([np.float32, np.float64, np.int64, np.bool_])),
                        shape))
    n = shape[0]
    kind = draw(st.sampled_from(["int", "bool"]))
    if kind == "bool":
        key = draw(hnp.arrays(np.bool_, draw(st.sampled_from([shape[:1], shape]))))
    else:
        dt = np.dtype(draw(st.sampled_from(INT_DTYPES)))
        lo = 0 if dt.kind == "u" else -n
        key_shape = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=4))
        key = draw(hnp.arrays(dt, key_shape, elements=st.integers(
            lo, max(n - 1, lo)))) if n else np.zeros((0,), dt)
    return x, key


@given(_case())
def test_values_and_copy_equal_numpy(case):
    x, key = case
    a = nd.asarray(x)
    got = a[key]
    want = x[key]
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(got), want)
    assert not np.shares_memory(np.asarray(got), x)
    # the same as the general path (an ndgrad index array is normalized first)
    general = a[nd.asarray(key)]
    assert general.shape == want.shape and general.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(general), want)


def test_errors_are_numpys():
    a = nd.asarray(np.arange(6.0).reshape(3, 2))
    with pytest.raises(IndexError, match="out of bounds"):
        a[np.array([0, 3])]
    with pytest.raises(IndexError):
        a[np.array([0.5])]
    with pytest.raises(IndexError, match="boolean"):
        a[np.array([True, False])]


def test_gradient_is_scatter_add_with_repeats():
    x = np.array([[1.0], [2.0], [3.0], [4.0]])
    idx = np.array([2, 0, 2, 2, -1])
    w = np.array([[1.0], [10.0], [100.0], [1000.0], [0.5]])

    def f(a):
        return nd.sum(a[idx] * w)
    val, g = nd.value_and_grad(f)(nd.asarray(x))
    assert float(val) == float(np.sum(x[idx] * w))
    want = np.zeros_like(x)
    np.add.at(want, idx, w)
    np.testing.assert_array_equal(np.asarray(g), want)
    # finite differences
    eps = 1e-6
    fd = np.zeros_like(x)
    for i in range(4):
        d = np.zeros_like(x)
        d[i] = eps
        fd[i] = (np.sum((x + d)[idx] * w) - np.sum((x - d)[idx] * w)) / (2 * eps)
    np.testing.assert_allclose(np.asarray(g), fd, rtol=1e-6)


def test_a_later_write_into_the_index_array_changes_no_result_or_gradient():
    """X[idx] keeps the index only where it outlives the call (a recorded node's rule
    scatters at it; an nd.jit trace): there a copy, so writing into idx afterwards changes
    neither the gradient nor the compiled function; elsewhere no copy is needed."""
    import ndgrad as nd
    x = nd.asarray(np.arange(5.0), requires_grad=True)
    i = np.array([0, 0, 3])
    y = x[i]
    i[:] = 4
    y.sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [2.0, 0.0, 0.0, 1.0, 0.0])
    np.testing.assert_array_equal(np.asarray(y.detach()), [0.0, 0.0, 3.0])
    z = nd.asarray(np.arange(5.0))
    j = np.array([1, 2])
    w = z[j]
    j[:] = 0
    np.testing.assert_array_equal(np.asarray(w), [1.0, 2.0])
    f = nd.jit(lambda a, k: a[k] * 2.0)
    k = np.array([1, 2])
    np.testing.assert_array_equal(np.asarray(f(z, k)), [2.0, 4.0])
    k[:] = 0
    np.testing.assert_array_equal(np.asarray(f(z, k)), [0.0, 0.0])

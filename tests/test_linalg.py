"""The linalg extension and the main namespace's linear algebra: values against
``array_api_compat.numpy`` (NumPy with the standard's conventions) on hypothesis inputs,
gradients against finite differences, on the numpy and array_api_strict backends."""
import array_api_compat.numpy as npx
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
from helpers import hyp, same as _same  # noqa: E402
from ndgrad._ops import linalg as core  # the standard's main-namespace functions

LA = nd.linalg
INF = float("inf")


# -- helpers ---------------------------------------------------------------------------
def _spd(a):
    n = a.shape[-1]
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _sym(x):
    return (x + nd.matrix_transpose(x)) * 0.5


def _floats(lo=-2.0, hi=2.0):
    return st.floats(lo, hi, allow_nan=False, width=64)


@st.composite
def matrices(draw, square=False, min_side=1, max_side=4, batch=True):
    m = draw(st.integers(min_side, max_side))
    n = m if square else draw(st.integers(min_side, max_side))
    b = draw(st.sampled_from([(), (2,)] if batch else [()]))
    return draw(hnp.arrays(np.float64, b + (m, n), elements=_floats()))


@st.composite
def spd_matrices(draw, max_side=4):
    return _spd(draw(matrices(square=True, max_side=max_side)))


def _arr(a, device):
    return nd.asarray(a, device=device)


# -- main namespace: tensordot, vecdot, matmul -----------------------------------------
@hyp()
@given(data=st.data())
def test_tensordot_values(data, device):
    a = data.draw(hnp.arrays(np.float64, (2, 3, 4), elements=_floats()))
    axes, shape_b = data.draw(st.sampled_from([
        (0, (2,)), (1, (4, 2)), (2, (3, 4, 2)), (([1, 2], [0, 1]), (3, 4, 2)),
        (([2, 1], [1, 0]), (3, 4, 2)), (([-1], [0]), (4, 3)), (([0, 2], [1, 0]), (4, 2))]))
    b = data.draw(hnp.arrays(np.float64, shape_b, elements=_floats()))
    _same(core.tensordot(_arr(a, device), _arr(b, device), axes=axes),
          npx.tensordot(a, b, axes=axes), device)


@hyp()
@given(data=st.data())
def test_vecdot_values_broadcasting(data, device):
    a = data.draw(hnp.arrays(np.float64, (2, 3, 4), elements=_floats()))
    # positive axes count in each operand (NumPy's gufunc): equal ranks for those
    axis, shape_b = data.draw(st.sampled_from([(-1, (4,)), (-2, (3, 1)), (-1, (2, 1, 4)),
                                               (1, (1, 3, 4)), (2, (2, 1, 4))]))
    b = data.draw(hnp.arrays(np.float64, shape_b, elements=_floats()))
    _same(core.vecdot(_arr(a, device), _arr(b, device), axis=axis),
          npx.vecdot(a, b, axis=axis), device)


def test_vecdot_conjugates_the_first_argument(device):
    a = np.array([1 + 2j, 3 - 1j])
    b = np.array([2 - 1j, 1j])
    _same(core.vecdot(_arr(a, device), _arr(b, device)), npx.vecdot(a, b), device)


def test_linalg_aliases_are_the_main_functions():
    assert LA.matmul is core.matmul and LA.matrix_transpose is core.matrix_transpose
    assert LA.tensordot is core.tensordot and LA.vecdot is core.vecdot


def test_main_namespace_errors_name_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 3\)"):
        core.tensordot(nd.ones((2, 3)), nd.ones((2, 3)), axes=([1], [0]))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4,\)"):
        core.vecdot(nd.ones((2, 3)), nd.ones((4,)))


# -- decompositions and inverses: values -----------------------------------------------
@hyp()
@given(x=spd_matrices())
def test_inv_det_slogdet_values(x, device):
    a = _arr(x, device)
    _same(LA.inv(a), npx.linalg.inv(x), device)
    _same(LA.det(a), npx.linalg.det(x), device)
    res, ref = LA.slogdet(a), npx.linalg.slogdet(x)
    assert isinstance(res, LA.SlogdetResult)
    _same(res.sign, ref.sign, device)
    _same(res.logabsdet, ref.logabsdet, device)


@hyp()
@given(x=spd_matrices(), data=st.data())
def test_solve_values(x, data, device):
    n = x.shape[-1]
    shape = data.draw(st.sampled_from([(n,), (n, 2), (3, 1, n, 1)[-x.ndim - 1:]]))
    if len(shape) > 2 and x.ndim == 2:
        shape = (n, 3)
    b = data.draw(hnp.arrays(np.float64, shape, elements=_floats()))
    _same(LA.solve(_arr(x, device), _arr(b, device)), npx.linalg.solve(x, b), device)


@hyp()
@given(x=spd_matrices(), upper=st.booleans())
def test_cholesky_values(x, upper, device):
    # NumPy's own upper factor (its LAPACK 'U' path), not array_api_compat's L^H
    _same(LA.cholesky(_arr(x, device), upper=upper), np.linalg.cholesky(x, upper=upper),
          device)


@hyp()
@given(x=spd_matrices(), upper=st.booleans())
def test_cholesky_reads_the_triangle_it_returns(x, upper, device):
    # NumPy's upper=True (and SciPy's default lower=False) read the UPPER triangle; ndgrad
    # read the lower one for both factors, so a matrix given by its upper triangle alone
    # (np.triu(a)) gave a silently different factor. The other triangle is garbage here
    junk = np.full(x.shape, 1e3)
    half = np.triu(x) + np.tril(junk, -1) if upper else np.tril(x) + np.triu(junk, 1)
    want = np.linalg.cholesky(half, upper=upper)
    _same(LA.cholesky(_arr(half, device), upper=upper), want, device)
    if device == "numpy" and x.ndim == 2:
        import scipy.linalg as sl
        from ndgrad.scipy import linalg as ndsl
        np.testing.assert_allclose(np.asarray(ndsl.cholesky(nd.asarray(half), lower=not upper)),
                                   sl.cholesky(half, lower=not upper), rtol=1e-12, atol=1e-12)
        # the gradient lies in the triangle read: central differences of NumPy's own
        c = np.random.default_rng(0).standard_normal(x.shape)
        g = host(nd.grad(lambda a: nd.sum(nd.asarray(c) * LA.cholesky(a, upper=upper)))(
            nd.asarray(half)))
        fd = np.zeros(x.shape)
        for idx in np.ndindex(x.shape):
            e = np.zeros(x.shape)
            e[idx] = 1e-6
            fd[idx] = np.sum(c * (np.linalg.cholesky(half + e, upper=upper)
                                  - np.linalg.cholesky(half - e, upper=upper))) / 2e-6
        np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-6 * max(1, np.abs(fd).max()))


@hyp()
@given(x=spd_matrices())
def test_eigh_eigvalsh_values(x, device):
    res, ref = LA.eigh(_arr(x, device)), npx.linalg.eigh(x)
    assert isinstance(res, LA.EighResult) and res._fields == ("eigenvalues", "eigenvectors")
    _same(res.eigenvalues, ref.eigenvalues, device)
    _same(res.eigenvectors, ref.eigenvectors, device)
    _same(LA.eigvalsh(_arr(x, device)), npx.linalg.eigvalsh(x), device)


@hyp()
@given(x=matrices(square=True))
def test_eig_eigvals_values_are_complex(x, device):
    res, ref = LA.eig(_arr(x, device)), npx.linalg.eig(x)
    assert isinstance(res, LA.EigResult)
    assert res.eigenvalues.dtype == nd.complex128 and res.eigenvectors.dtype == nd.complex128
    _same(res.eigenvalues, ref.eigenvalues, device)
    _same(res.eigenvectors, ref.eigenvectors, device)
    _same(LA.eigvals(_arr(x, device)), npx.linalg.eigvals(x), device)


@hyp()
@given(x=matrices(), full=st.booleans())
def test_svd_svdvals_values(x, full, device):
    res, ref = LA.svd(_arr(x, device), full_matrices=full), npx.linalg.svd(
        x, full_matrices=full)
    assert isinstance(res, LA.SVDResult) and res._fields == ("U", "S", "Vh")
    for r, e in zip(res, ref):
        _same(r, e, device)
    _same(LA.svdvals(_arr(x, device)), npx.linalg.svdvals(x), device)


@hyp()
@given(x=matrices(), mode=st.sampled_from(["reduced", "complete"]))
def test_qr_values(x, mode, device):
    res, ref = LA.qr(_arr(x, device), mode=mode), npx.linalg.qr(x, mode=mode)
    assert isinstance(res, LA.QRResult) and res._fields == ("Q", "R")
    _same(res.Q, ref.Q, device)
    _same(res.R, ref.R, device)


@hyp()
@given(x=matrices(), rtol=st.sampled_from([None, 1e-3, 0.5]))
def test_pinv_matrix_rank_values(x, rtol, device):
    a = _arr(x, device)
    _same(LA.pinv(a, rtol=rtol), npx.linalg.pinv(x, rtol=rtol), device)
    _same(LA.matrix_rank(a, rtol=rtol), npx.linalg.matrix_rank(x, rtol=rtol), device)


def test_pinv_rtol_array(device):
    x = np.array([[[1.0, 0.0], [0.0, 1e-3]], [[2.0, 1.0], [1.0, 3.0]]])
    r = np.array([1e-2, 1e-6])
    _same(LA.pinv(_arr(x, device), rtol=_arr(r, device)), npx.linalg.pinv(x, rtol=r), device)
    _same(LA.matrix_rank(_arr(x, device), rtol=_arr(r, device)),
          npx.linalg.matrix_rank(x, rtol=r), device)


@hyp()
@given(x=spd_matrices(max_side=3), n=st.integers(-3, 5))
def test_matrix_power_values(x, n, device):
    _same(LA.matrix_power(_arr(x, device), n), npx.linalg.matrix_power(x, n), device)


# -- norms, trace, diagonal, cross, outer: values ----------------------------------------
@hyp()
@given(x=matrices(min_side=2), ord=st.sampled_from(["fro", "nuc", 1, -1, 2, -2, INF, -INF]),
       keepdims=st.booleans())
def test_matrix_norm_values(x, ord, keepdims, device):
    _same(LA.matrix_norm(_arr(x, device), ord=ord, keepdims=keepdims),
          npx.linalg.matrix_norm(x, ord=ord, keepdims=keepdims), device)


@hyp()
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=_floats()),
       ord=st.sampled_from([2, 1, 0, 3, 0.5, -1, -2, INF, -INF]), keepdims=st.booleans(),
       data=st.data())
def test_vector_norm_values(x, ord, keepdims, data, device):
    axis = data.draw(st.sampled_from([None, -1, 0, tuple(range(x.ndim))]))
    with np.errstate(divide="ignore"):
        expected = npx.linalg.vector_norm(x, axis=axis, ord=ord, keepdims=keepdims)
        _same(LA.vector_norm(_arr(x, device), axis=axis, ord=ord, keepdims=keepdims),
              expected, device)


@hyp()
@given(x=matrices(), offset=st.integers(-2, 2))
def test_trace_diagonal_values(x, offset, device):
    a = _arr(x, device)
    _same(LA.trace(a, offset=offset), npx.linalg.trace(x, offset=offset), device)
    _same(LA.diagonal(a, offset=offset), npx.linalg.diagonal(x, offset=offset), device)


def test_trace_dtype_and_integers(device):
    x = np.arange(9, dtype=np.int32).reshape(3, 3)
    _same(LA.trace(_arr(x, device)), npx.linalg.trace(x), device)
    _same(LA.trace(_arr(x, device), dtype=nd.float64), npx.linalg.trace(x, dtype=np.float64),
          device)


@hyp()
@given(a=hnp.arrays(np.float64, (2, 3), elements=_floats()),
       b=hnp.arrays(np.float64, (3,), elements=_floats()))
def test_cross_outer_values(a, b, device):
    _same(LA.cross(_arr(a, device), _arr(b, device)), npx.linalg.cross(a, b), device)
    _same(LA.cross(_arr(a.T, device), _arr(a.T[::-1], device), axis=0),
          npx.linalg.cross(a.T, a.T[::-1], axis=0), device)
    _same(LA.outer(_arr(a[0], device), _arr(b, device)), npx.linalg.outer(a[0], b), device)


# -- errors ---------------------------------------------------------------------------
def test_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"square.*\(2, 3\)"):
        LA.inv(nd.ones((2, 3)))
    with pytest.raises(ValueError, match=r"at least 2 dimensions.*\(3,\)"):
        LA.det(nd.ones(3))
    with pytest.raises(ValueError, match=r"\(2, 2\).*\(3,\)"):
        LA.solve(nd.eye(2), nd.ones(3))
    with pytest.raises(ValueError, match="ord"):
        LA.matrix_norm(nd.eye(2), ord=3)
    with pytest.raises(ValueError, match="ord"):
        LA.vector_norm(nd.ones(2), ord="fro")
    with pytest.raises(ValueError, match="mode"):
        LA.qr(nd.eye(2), mode="economic")   # ("raw" is NumPy's, supported)
    with pytest.raises(TypeError, match="integer"):
        LA.matrix_power(nd.eye(2), 1.5)
    with pytest.raises(ValueError, match=r"size 3.*\(2,\)"):
        LA.cross(nd.ones(2), nd.ones(2))
    with pytest.raises(ValueError, match="1-D"):
        LA.outer(nd.ones((2, 2)), nd.ones(2))


def test_matrix_rank_has_no_gradient_and_says_why():
    op = nd._REGISTRY["linalg.matrix_rank"]
    assert not op.differentiable and "integer" in op.nondiff_reason


# -- gradients --------------------------------------------------------------------------
def _rand(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


def _well_conditioned(shape, seed):
    return _spd(_rand(shape, seed))


def _distinct_eigs(n, seed):
    """A non-symmetric matrix with real, well separated eigenvalues."""
    rng = np.random.default_rng(seed)
    p = np.eye(n) + 0.3 * rng.standard_normal((n, n))
    return p @ np.diag(np.arange(1.0, n + 1)) @ np.linalg.inv(p)


GRAD2 = {  # order 2: the brief's inverse / determinant / solve / products / norms
    "inv": (lambda x: LA.inv(x), [_well_conditioned((2, 3, 3), 1)]),
    "det": (lambda x: LA.det(x), [_well_conditioned((3, 3), 2)]),
    "slogdet": (lambda x: LA.slogdet(x).logabsdet, [_well_conditioned((2, 3, 3), 3)]),
    "solve_matrix": (LA.solve, [_well_conditioned((2, 3, 3), 4), _rand((3, 2), 5)]),
    "solve_vector": (LA.solve, [_well_conditioned((2, 3, 3), 6), _rand((3,), 7)]),
    "matmul": (LA.matmul, [_rand((2, 2, 3), 8), _rand((3,), 9)]),
    "matmul_vectors": (LA.matmul, [_rand((3,), 25), _rand((3,), 26)]),
    "tensordot": (lambda a, b: LA.tensordot(a, b, axes=([0, 2], [2, 0])),
                  [_rand((2, 3, 4), 10), _rand((4, 2, 2), 11)]),
    "vecdot": (lambda a, b: LA.vecdot(a, b, axis=0), [_rand((3, 2), 12), _rand((3, 1), 13)]),
    "trace": (lambda x: LA.trace(x, offset=1), [_rand((2, 3, 4), 14)]),
    "diagonal": (lambda x: LA.diagonal(x, offset=-1), [_rand((2, 4, 3), 15)]),
    "matrix_transpose": (LA.matrix_transpose, [_rand((2, 3), 16)]),
    "cross": (LA.cross, [_rand((2, 3), 17), _rand((3,), 18)]),
    "outer": (LA.outer, [_rand((2,), 19), _rand((3,), 20)]),
    "matrix_power_3": (lambda x: LA.matrix_power(x, 3), [_rand((3, 3), 21) * 0.5]),
    "matrix_power_-2": (lambda x: LA.matrix_power(x, -2), [_well_conditioned((3, 3), 22)]),
    "matrix_power_0": (lambda x: LA.matrix_power(x, 0) * x, [_rand((2, 2), 23)]),
    "pinv": (LA.pinv, [_rand((3, 4), 24)]),
}
for _o in ["fro", "nuc", 1, -1, 2, -2, INF, -INF]:
    GRAD2[f"matrix_norm_{_o}"] = (lambda x, o=_o: LA.matrix_norm(x, ord=o, keepdims=o == 1),
                                  [_rand((2, 3, 4), 30)])
for _o in [2, 1, 3, 0.5, -1, -2, INF, -INF, 0]:
    GRAD2[f"vector_norm_{_o}"] = (lambda x, o=_o: LA.vector_norm(x, ord=o, axis=(0, 2),
                                                                 keepdims=o == 3),
                                  [_rand((2, 3, 4), 31)])

GRAD1 = {  # order 1: decompositions (gauge-invariant functions of their outputs)
    "cholesky": (lambda x: LA.cholesky(_sym(x)), [_well_conditioned((2, 3, 3), 40)]),
    "cholesky_upper": (lambda x: LA.cholesky(_sym(x), upper=True),
                       [_well_conditioned((3, 3), 41)]),
    "eigh": (lambda x: (lambda r: (r.eigenvalues, r.eigenvectors ** 2))(LA.eigh(_sym(x))),
             [_well_conditioned((2, 3, 3), 42)]),
    "eigvalsh": (lambda x: LA.eigvalsh(_sym(x)), [_well_conditioned((3, 3), 43)]),
    "svd_tall": (lambda x: (lambda r: (r.U ** 2, r.S, r.Vh ** 2, r.U @ r.Vh))(
        LA.svd(x, full_matrices=False)), [_rand((2, 4, 3), 44)]),
    "svd_wide": (lambda x: (lambda r: (r.U ** 2, r.S, r.Vh ** 2))(
        LA.svd(x, full_matrices=False)), [_rand((3, 4), 45)]),
    "svd_full_square": (lambda x: (lambda r: (r.U @ r.Vh, r.S))(LA.svd(x)), [_rand((3, 3), 46)]),
    "svd_full_values_only": (lambda x: LA.svd(x).S, [_rand((3, 5), 47)]),
    "svdvals": (LA.svdvals, [_rand((2, 4, 3), 48)]),
    "qr_square": (lambda x: tuple(LA.qr(x)), [_rand((3, 3), 49)]),
    "qr_tall": (lambda x: tuple(LA.qr(x)), [_rand((2, 5, 3), 50)]),
    "qr_wide": (lambda x: tuple(LA.qr(x)), [_rand((3, 5), 51)]),
    "qr_complete_tall_r": (lambda x: LA.qr(x, mode="complete").R, [_rand((4, 2), 52)]),
    # eigenvalue order is unspecified (it may change under a perturbation): losses that
    # do not depend on it, each eigenvector kept with its eigenvalue
    "eigvals": (lambda x: nd.sum(nd.real(LA.eigvals(x)) ** 3), [_distinct_eigs(3, 53)]),
    "eig": (lambda x: (lambda r: nd.sum(nd.real(r.eigenvalues) * nd.real(r.eigenvectors) ** 2,
                                        axis=1))(LA.eig(x)), [_distinct_eigs(3, 54)]),
    "eig_diagonal": (lambda x: (lambda r: nd.sum(nd.real(r.eigenvalues) * nd.real(
        r.eigenvectors) ** 2, axis=1))(LA.eig(x)), [np.diag([1.0, 2.0, 3.0])]),
    "pinv_tall": (LA.pinv, [_rand((4, 3), 55)]),
}


@pytest.mark.parametrize("name", sorted(GRAD2))
def test_gradients_second_order(name, device):
    f, args = GRAD2[name]
    nd.check_grads(f, *[_arr(a, device) for a in args], order=2)


@pytest.mark.parametrize("name", sorted(GRAD1))
def test_gradients_first_order(name, device):
    f, args = GRAD1[name]
    nd.check_grads(f, *[_arr(a, device) for a in args], order=1)


@hyp(max_examples=8)
@given(x=spd_matrices(max_side=3))
def test_inv_det_gradients_on_hypothesis_inputs(x, device):
    a = _arr(x, device)
    nd.check_grads(lambda a: LA.inv(a), a, order=1)
    nd.check_grads(lambda a: LA.det(a) * 0.1, a, order=1)


def test_eigvals_gradient_of_complex_pair():
    # a real matrix with a pair of complex eigenvalues: d(sum real(lambda)) = d trace = I
    x = nd.asarray([[1.0, -2.0, 0.3], [2.0, 1.0, 0.1], [0.0, 0.2, 3.0]])
    g = nd.grad(lambda a: nd.sum(nd.real(LA.eigvals(a))))(x)
    np.testing.assert_allclose(host(g), np.eye(3), atol=1e-12)
    nd.check_grads(lambda a: nd.real(LA.eigvals(a) * LA.eigvals(a)), x, order=1)


def test_svd_full_matrices_refuses_gradient_through_extra_columns():
    x = nd.asarray(_rand((4, 2), 60))
    with pytest.raises(ValueError, match="reduced"):
        nd.grad(lambda a: nd.sum(LA.svd(a).U ** 3))(x)


def test_rules_use_only_the_namespace():
    # no NumPy in the rules: they must run on ndgrad arrays for higher orders (the graph
    # mode's shape rule, which makes NumPy stand-ins, is the one exception)
    import inspect
    import re
    from ndgrad._ops import linalg_ext
    src = inspect.getsource(linalg_ext).replace(
        inspect.getsource(linalg_ext._invertible_dummies_rule), "")
    assert not re.search(r"\bnp\.|\bimport numpy\b", src)


# -- NumPy's linalg names beyond the standard -----------------------------------------
@hyp()
@given(x=hnp.arrays(st.sampled_from([np.float64, np.float32, np.complex128, np.int64]),
                    hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
                    elements=st.integers(-3, 3)),
       data=st.data(), keepdims=st.booleans())
def test_norm_values(x, data, keepdims, device):
    if x.dtype == np.int64 and device != "cpu":
        x = x.astype(np.float64)
    choices = [(None, None), (None, -1), (2, -1), (1, 0), (0, -1), (INF, -1), (-INF, 0),
               (3, -1), (0.5, -1), (-1, -1)]
    if x.ndim == 1:
        choices.append((2, None))
    if x.ndim >= 2:
        choices += [(o, (-2, -1)) for o in ["fro", "nuc", 1, -1, 2, -2, INF, -INF, None]]
        choices += [(1, (-1, 0)), (INF, (-1, 0)), ("fro", None)]
    ord, axis = data.draw(st.sampled_from(choices))
    if ord is not None and isinstance(ord, (int, float)) and ord < 1 and ord != -INF:
        x = np.where(x == 0, 1, x).astype(x.dtype)  # no division by zero in non-norms
    with np.errstate(all="ignore"):
        try:
            expected = np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
        except ValueError:   # e.g. "fro" of a 3-d array: ndgrad refuses it too
            with pytest.raises(ValueError, match="dimensions"):
                LA.norm(_arr(x, device), ord=ord, axis=axis, keepdims=keepdims)
            return
    got = LA.norm(_arr(x, device), ord=ord, axis=axis, keepdims=keepdims)
    _same(got, host(expected), device) if device == "cpu" else np.testing.assert_allclose(
        host(got), expected, rtol=1e-6)


@hyp()
@given(data=st.data(), first=st.booleans(), last=st.booleans(), n=st.integers(2, 5))
def test_multi_dot_values(data, first, last, n, device):
    dims = data.draw(st.lists(st.integers(1, 5), min_size=n + 1, max_size=n + 1))
    mats = [data.draw(hnp.arrays(np.float64, (dims[i], dims[i + 1]), elements=_floats()))
            for i in range(n)]
    if first:
        mats[0] = mats[0][0]
    if last:
        mats[-1] = mats[-1][:, 0]
    expected = host(np.linalg.multi_dot(mats))
    got = LA.multi_dot([_arr(m, device) for m in mats])
    _same(got, expected, device)


def test_cond_tensorinv_tensorsolve_values(device):
    x = _rand((2, 3, 3), 70)
    for p in [None, 2, -2, 1, INF, "fro"]:
        got = LA.cond(_arr(x, device), p)
        np.testing.assert_allclose(host(got), np.linalg.cond(x, p), rtol=1e-12)
    sing = np.array([[1.0, 2.0], [2.0, 4.0]])
    assert float(LA.cond(_arr(sing, device), 1)) == np.linalg.cond(sing, 1) == INF
    a = _rand((4, 2, 2), 71)
    np.testing.assert_allclose(host(LA.tensorinv(_arr(a, device), ind=1)),
                               np.linalg.tensorinv(a, ind=1), rtol=1e-12)
    a, b = _rand((2, 3, 6), 72), _rand((2, 3), 73)
    np.testing.assert_allclose(host(LA.tensorsolve(_arr(a, device), _arr(b, device))),
                               np.linalg.tensorsolve(a, b), rtol=1e-10)
    a = _rand((6, 2, 3), 74)
    np.testing.assert_allclose(host(LA.tensorsolve(_arr(a, device), _arr(b, device),
                                                         axes=(0,))),
                               np.linalg.tensorsolve(a, b, axes=(0,)), rtol=1e-10)
    assert LA.LinAlgError is np.linalg.LinAlgError
    with pytest.raises(LA.LinAlgError):
        LA.inv(_arr(sing, device))


@pytest.mark.parametrize("ord,axis", [(None, None), (2, 0), (1, 1), (3, 1), (INF, 0),
                                      ("fro", (0, 1)), ("nuc", (0, 1)), (2, (1, 0)),
                                      (1, (0, 1)), (-INF, (1, 0))])
def test_norm_gradients(ord, axis, device):
    nd.check_grads(lambda x: LA.norm(x, ord=ord, axis=axis), _arr(_rand((3, 4), 75), device),
                   order=2)


def test_multi_dot_cond_gradients(device):
    mats = [_arr(_rand(s, 76 + i), device) for i, s in enumerate([(2, 3), (3, 4), (4, 1)])]
    nd.check_grads(lambda a, b, c: LA.multi_dot([a, b, c]), *mats, order=2)
    nd.check_grads(lambda x: LA.cond(x), _arr(_rand((3, 3), 80), device), order=1)


# -- complex inputs: gradients in JAX's convention, checked through real parameters ------
def _c(a, b):
    """A complex array from two real ones (each gets a real gradient)."""
    return nd.astype(a, nd.complex128) + nd.astype(b, nd.complex128) * 1j


def _parts(z):
    return (nd.real(z), nd.real(z * (0.3 - 0.7j)))


def _abs2(z):  # |z|^2, independent of each vector's phase
    return nd.real(z * nd.conj(z))


def _herm(z):
    return (z + nd.conj(nd.matrix_transpose(z))) * 0.5


_SQ = _rand((3, 3), 90) + 3 * np.eye(3)
COMPLEX = {
    "inv": (lambda a, b: _parts(LA.inv(_c(a, b))), [_SQ, _rand((3, 3), 91)]),
    "det": (lambda a, b: _parts(LA.det(_c(a, b))), [_SQ, _rand((3, 3), 92)]),
    "slogdet": (lambda a, b: (lambda r: (r.logabsdet, _parts(r.sign)))(LA.slogdet(_c(a, b))),
                [_SQ, _rand((3, 3), 93)]),
    "solve": (lambda a, b, c: _parts(LA.solve(_c(a, b), _c(c, c * 2))),
              [_SQ, _rand((3, 3), 94), _rand((3, 2), 95)]),
    "pinv": (lambda a, b: _parts(LA.pinv(_c(a, b))), [_rand((4, 3), 96), _rand((4, 3), 97)]),
    "matrix_power": (lambda a, b: _parts(LA.matrix_power(_c(a, b), -2)),
                     [_SQ, _rand((3, 3), 98)]),
    "vector_norm": (lambda a, b: (LA.vector_norm(_c(a, b)), LA.vector_norm(_c(a, b), ord=3)),
                    [_rand((4,), 99), _rand((4,), 100)]),
    "matrix_norm": (lambda a, b: (LA.matrix_norm(_c(a, b)), LA.matrix_norm(_c(a, b), ord=2),
                                  LA.matrix_norm(_c(a, b), ord="nuc")),
                    [_rand((3, 3), 101), _rand((3, 3), 102)]),
    "cholesky": (lambda a, b: _parts(LA.cholesky(_herm(_c(a, b)))),
                 [_SQ + 2 * np.eye(3), _rand((3, 3), 103) * 0.3]),
    "eigh": (lambda a, b: (lambda r: (r.eigenvalues, _abs2(r.eigenvectors)))(
        LA.eigh(_herm(_c(a, b)))), [_rand((3, 3), 104), _rand((3, 3), 105)]),
    "svd": (lambda a, b: (lambda r: (r.S, _abs2(r.U), _abs2(r.Vh), _parts(r.U @ r.Vh)))(
        LA.svd(_c(a, b), full_matrices=False)), [_rand((4, 3), 106), _rand((4, 3), 107)]),
    "qr": (lambda a, b: (lambda r: (_parts(r.Q), _parts(r.R)))(LA.qr(_c(a, b))),
           [_rand((4, 3), 108), _rand((4, 3), 109)]),
    "qr_wide": (lambda a, b: (lambda r: (_parts(r.Q), _parts(r.R)))(LA.qr(_c(a, b))),
                [_rand((3, 5), 110), _rand((3, 5), 111)]),
    "eig": (lambda a, b: (lambda r: (nd.sum(_parts(r.eigenvalues ** 2)[1]), nd.sum(
        _abs2(r.eigenvectors) * nd.real(r.eigenvalues), axis=1)))(LA.eig(_c(a, b))),
        [_rand((3, 3), 112) + np.diag([0.0, 3.0, 6.0]), _rand((3, 3), 113)]),
}


@pytest.mark.parametrize("name", sorted(COMPLEX))
def test_complex_gradients(name, device):
    f, args = COMPLEX[name]
    nd.check_grads(f, *[_arr(a, device) for a in args], order=1)


def test_eig_of_real_matrix_with_complex_pair_gradient(device):
    x = _arr(np.array([[1.0, -2.0, 0.3], [2.0, 1.0, 0.1], [0.0, 0.2, 3.0]]), device)
    nd.check_grads(lambda a: (lambda r: (nd.sum(_parts(r.eigenvalues ** 2)[1]), nd.sum(
        _abs2(r.eigenvectors) * nd.real(r.eigenvalues), axis=1)))(LA.eig(a)), x, order=1)


def test_array_likes_are_converted(device):
    # NumPy code passes lists; a list beside an Array lands on that Array's device
    _same(LA.inv([[2.0, 0.0], [0.0, 4.0]]), npx.linalg.inv(np.array([[2.0, 0.0], [0.0, 4.0]])),
          "cpu")
    got = LA.solve(_arr(np.eye(2) * 2, device), [1.0, 2.0])
    assert str(got.device) == str(nd.asarray(1.0, device=device).device)
    _same(got, np.array([0.5, 1.0]), device)
    _same(LA.norm([3.0, 4.0]), host(np.linalg.norm([3.0, 4.0])), "cpu")


def test_graph_mode_shapes_and_gradients():
    tf = pytest.importorskip("ndgrad.tf")
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, shape=(None, 3, 3))
        y = LA.inv(x)  # the graph's zero stand-ins are singular: the op's shape rule
        assert y.shape.as_list() == [None, 3, 3]
        s = LA.svd(tf.placeholder(tf.float64, shape=None)).S  # unknown rank, three outputs
        assert s.shape.rank is None
        v = _well_conditioned((2, 3, 3), 120)
        fns = [lambda a: LA.inv(a), lambda a: LA.cholesky(a), lambda a: LA.solve(a, a[0]),
               lambda a: LA.eigh(a).eigenvalues, lambda a: LA.matrix_norm(a, ord=2),
               lambda a: nd.fft.irfft(nd.fft.rfft(a), n=3)]
        for f in fns:
            (g,) = tf.gradients(tf.reduce_sum(f(x)), [x])
            with tf.Session() as sess:
                got = sess.run(g, {x: v})
            np.testing.assert_allclose(got, host(nd.grad(lambda a: nd.sum(f(a)))(
                nd.asarray(v))), rtol=1e-10, atol=1e-12)


# -- NumPy's arguments (numpy.linalg's signatures are supersets of the standard's) -------
def test_numpy_arguments(device):
    a = _rand((2, 4, 4), 130)
    a = a + np.swapaxes(a, -1, -2)
    a[..., 0, 1] = 7.0  # not symmetric: the triangle read matters
    x = _arr(a, device)
    for uplo in ["L", "U", "u"]:
        ref = np.linalg.eigh(a, uplo.upper())
        got = LA.eigh(x, uplo)
        _same(got.eigenvalues, ref.eigenvalues, device)
        np.testing.assert_allclose(np.abs(host(got.eigenvectors)),
                                   np.abs(ref.eigenvectors), atol=1e-12)
        _same(LA.eigvalsh(x, UPLO=uplo), np.linalg.eigvalsh(a, uplo.upper()), device)
    _same(LA.svd(x, False, False), np.linalg.svd(a, False, False), device)
    _same(LA.qr(x[0], "r"), np.linalg.qr(a[0], "r"), device)
    _same(LA.matrix_rank(x, 3.0), np.linalg.matrix_rank(a, 3.0), device)
    _same(LA.pinv(x, 1e-2), np.linalg.pinv(a, 1e-2), device)
    # hermitian=True: NumPy's eigh-based variants, reading the lower triangle
    _same(LA.svd(x, hermitian=True).S, np.linalg.svd(a, hermitian=True).S, device)
    _same(LA.svd(x, compute_uv=False, hermitian=True),
          np.linalg.svd(a, compute_uv=False, hermitian=True), device)
    _same(LA.pinv(x, hermitian=True), np.linalg.pinv(a, hermitian=True), device)
    _same(LA.matrix_rank(x, hermitian=True), np.linalg.matrix_rank(a, hermitian=True), device)
    with pytest.raises(ValueError, match="UPLO"):
        LA.eigh(x, "X")
    sym = (lambda y: (y + nd.matrix_transpose(y)) * 0.5)
    nd.check_grads(lambda y: LA.eigh(sym(y), "U").eigenvectors ** 2, x[0], order=1)


def test_numpy_functions_dispatch_here():
    # NumPy's own functions on ndgrad arrays call these (through __array_function__)
    a = nd.asarray(_well_conditioned((3, 3), 131))
    assert isinstance(np.linalg.inv(a), nd.Array)
    assert isinstance(np.linalg.svd(a, compute_uv=False), nd.Array)
    g = nd.grad(lambda y: np.linalg.slogdet(y)[1])(a)
    np.testing.assert_allclose(host(g), np.linalg.inv(host(a)).T, rtol=1e-12)


@hyp(max_examples=10)
@given(data=st.data(), shapes=st.sampled_from([((5, 3), (5,)), ((5, 3), (5, 2)),
                                               ((3, 5), (3,)), ((3, 3), (3, 2))]))
def test_lstsq_values_and_gradients(data, shapes, device):
    a = data.draw(hnp.arrays(np.float64, shapes[0], elements=_floats(-1, 1)))
    k = min(shapes[0])
    a[np.arange(k), np.arange(k)] += 4.0 * np.arange(1, k + 1)  # distinct singular values
    b = data.draw(hnp.arrays(np.float64, shapes[1], elements=_floats()))
    got, ref = LA.lstsq(_arr(a, device), _arr(b, device)), npx.linalg.lstsq(a, b, rcond=None)
    for g, r in zip(got, ref):
        _same(g, host(r), device) if device == "cpu" else np.testing.assert_allclose(
            host(g), r, rtol=1e-10, atol=1e-12)
    nd.check_grads(lambda a, b: (lambda r: (r[0], r[1], r[3]))(LA.lstsq(a, b)),
                   _arr(a, device), _arr(b, device), order=1)


# -- det's gradient at singular matrices: the cofactor matrix (det is a polynomial) -------
def _cofactor_matrix(a):
    """Cofactors by their definition (minors), for small matrices."""
    a = np.asarray(a)
    n = a.shape[-1]
    c = np.empty_like(a)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, axis=-2), j, axis=-1)
            c[..., i, j] = (-1) ** (i + j) * (np.linalg.det(minor) if n > 1 else 1.0)
    return c


@pytest.mark.parametrize("a", [
    [[1.0, 2.0], [2.0, 4.0]],                              # rank 1: det 0, cofactors not
    [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],   # rank 2
    np.diag([2.0, 0.0, 3.0]),                              # one zero on the diagonal
    np.zeros((3, 3)),                                      # rank 0: all cofactors 0
    np.outer([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),            # rank 1 (3 x 3): all 0
    [[1.0 + 1j, 2.0], [1.0 + 1j, 2.0]],                    # complex, rank 1
], ids=["rank1", "rank2", "diag0", "zeros", "outer", "complex"])
def test_det_gradient_at_singular_matrices_is_the_cofactor_matrix(a):
    # before: LinAlgError from inv inside the rule (or zeros where det rounds to 0)
    a = np.asarray(a)
    x = nd.asarray(a)
    if a.dtype.kind == "c":
        g = nd.grad(lambda m: LA.det(m), holomorphic=True)(x)
    else:
        g = nd.grad(lambda m: LA.det(m))(x)
    np.testing.assert_allclose(np.asarray(g), _cofactor_matrix(a), atol=1e-12)
    if a.dtype.kind != "c":
        # and finite differences agree (det is a polynomial: central differences of
        # degree <= 2 in each entry are exact up to rounding)
        nd.check_grads(lambda m: LA.det(m), x, order=1)


def test_det_gradient_of_a_stack_with_one_singular_matrix():
    rng = np.random.default_rng(3)
    b = rng.standard_normal((4, 3, 3))
    b[1] = np.outer([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]) + np.outer([0.0, 1.0, 0.0], [1.0, 0.0, 2.0])
    g = nd.grad(lambda m: nd.sum(LA.det(m) * nd.asarray([1.0, 2.0, 3.0, 4.0])))(nd.asarray(b))
    want = _cofactor_matrix(b) * np.array([1.0, 2.0, 3.0, 4.0])[:, None, None]
    np.testing.assert_allclose(np.asarray(g), want, atol=1e-10)


def test_slogdet_gradient_at_a_singular_matrix_says_why():
    with pytest.raises(np.linalg.LinAlgError, match="singular matrix is infinite"):
        nd.grad(lambda m: LA.slogdet(m).logabsdet)(nd.asarray([[1.0, 2.0], [2.0, 4.0]]))


# -- det's higher derivatives at singular and ill-conditioned matrices -------------------
# The second derivative of det is exact in rational arithmetic: d2 det / dA_ij dA_kl is a
# signed minor (rows i, k and columns j, l removed). det(A) A^-T differentiated again was
# 3.4 off at a numerically singular 3 x 3 matrix (every verb, nd.jit too), 1e-3 off at a
# determinant of 1e-12, and raised at an exactly singular one; the recorded rule
# (det_cotangent_op) keeps the first-order values and has an exact rule of its own.
class _Q:
    """Exact complex rationals (Fraction pairs): enough for minors."""

    def __init__(self, re, im=0):
        from fractions import Fraction
        self.re, self.im = Fraction(re), Fraction(im)

    def __add__(self, o):
        return _Q(self.re + o.re, self.im + o.im)

    def __sub__(self, o):
        return _Q(self.re - o.re, self.im - o.im)

    def __mul__(self, o):
        return _Q(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)

    def value(self):
        return complex(float(self.re), float(self.im))


def _exact_det(m):
    if not m:
        return _Q(1)
    if len(m) == 1:
        return m[0][0]
    total = _Q(0)
    for j in range(len(m)):
        term = m[0][j] * _exact_det([r[:j] + r[j + 1:] for r in m[1:]])
        total = total + term if j % 2 == 0 else total - term
    return total


def _exact_det_hvp(a, v):
    """sum_kl d2 det / dA_ij dA_kl v_kl, exactly (holomorphic: no conjugation)."""
    n = a.shape[0]
    q = [[_Q(float(np.real(e)), float(np.imag(e))) for e in row] for row in a]
    out = np.zeros((n, n), dtype=complex)
    for i in range(n):
        for j in range(n):
            total = _Q(0)
            for k in range(n):
                for l in range(n):
                    if k == i or l == j:
                        continue
                    rows = [r for r in range(n) if r not in (i, k)]
                    cols = [c for c in range(n) if c not in (j, l)]
                    minor = _exact_det([[q[r][c] for c in cols] for r in rows])
                    sign = (-1) ** (i + j + k + l) * (1 if (k > i) == (l > j) else -1)
                    term = minor * _Q(float(np.real(v[k, l])), float(np.imag(v[k, l])))
                    total = total + term if sign > 0 else total - term
            out[i, j] = total.value()
    return out if np.iscomplexobj(a) or np.iscomplexobj(v) else out.real


def _det_matrices():
    rng = np.random.default_rng(11)
    a = rng.standard_normal((3, 3))
    sing = a.copy()
    sing[2] = sing[0] * 0.5 + sing[1] * 2          # singular up to rounding
    near = sing.copy()
    near[2] += 1e-12
    rank1 = np.outer([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    return {"generic": a, "singular": sing, "near": near, "rank1": rank1,
            "zeros": np.zeros((3, 3)), "identity": np.eye(3),
            "exact_rank2": np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])}


@pytest.mark.parametrize("name", sorted(_det_matrices()))
@pytest.mark.parametrize("verb", ["hvp", "jvp_of_grad", "jit", "hessian", "backward"])
def test_det_second_derivative_is_exact_at_singular_matrices(name, verb):
    a = _det_matrices()[name]
    v = np.random.default_rng(5).standard_normal((3, 3))
    want = _exact_det_hvp(a, v)
    x, vv = nd.asarray(a), nd.asarray(v)
    if verb == "hvp":
        got = nd.hvp(LA.det, (x,), (vv,))
    elif verb == "jvp_of_grad":
        got = nd.jvp(nd.grad(LA.det), (x,), (vv,))[1]
    elif verb == "jit":
        got = nd.jit(nd.grad(lambda m: nd.sum(nd.grad(LA.det)(m) * vv)))(x)
    elif verb == "hessian":
        got = np.einsum("ijkl,kl->ij", np.asarray(nd.hessian(LA.det)(x)), v)
    else:
        xr = nd.asarray(a, requires_grad=True)
        LA.det(xr).backward(create_graph=True)
        g1 = xr.grad
        xr.grad = None
        nd.sum(g1 * vv).backward()
        got = xr.grad
    np.testing.assert_allclose(np.asarray(got), want, rtol=0, atol=1e-13 * max(
        1.0, np.abs(want).max()))


@pytest.mark.parametrize("kind", ["near", "singular"])
def test_det_second_derivative_of_complex_and_stacked_matrices(kind):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    a[2] = a[0] * (0.5 - 1j) + (1e-13 if kind == "near" else 0)
    v = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    # a real loss re(h(A)) of a complex input: in JAX's convention (df/dx - i df/dy) its
    # gradient is h's holomorphic derivative (JAX 0.10's numbers agree to 2e-15)
    loss = lambda m: nd.real(nd.sum(nd.grad(LA.det, holomorphic=True)(m) * nd.asarray(v)))
    got = nd.grad(loss)(nd.asarray(a))
    np.testing.assert_allclose(np.asarray(got), _exact_det_hvp(a, v), atol=1e-13)
    # a stack: one generic, one singular matrix
    b = np.stack([rng.standard_normal((3, 3)), _det_matrices()["singular"]])
    w = rng.standard_normal((2, 3, 3))
    got = nd.grad(lambda m: nd.sum(nd.grad(lambda s: nd.sum(LA.det(s)))(m) * nd.asarray(w)))(
        nd.asarray(b))
    want = np.stack([_exact_det_hvp(b[k], w[k]) for k in range(2)])
    np.testing.assert_allclose(np.asarray(got), want, atol=1e-13)


def test_det_first_derivative_recorded_keeps_its_values():
    # the recorded rule's values are the first-order rule's, bit for bit (create_graph,
    # nd.jit): det(A) A^-T, and the SVD cofactors at a singular matrix
    for name, a in _det_matrices().items():
        plain = np.asarray(nd.grad(LA.det)(nd.asarray(a)))
        xr = nd.asarray(a, requires_grad=True)
        LA.det(xr).backward(create_graph=True)
        np.testing.assert_array_equal(np.asarray(xr.grad.detach()), plain, err_msg=name)
        np.testing.assert_array_equal(np.asarray(nd.jit(nd.grad(LA.det))(nd.asarray(a))),
                                      plain, err_msg=name)


def test_det_third_derivative():
    # near a singular matrix (distinct singular values) and at the identity: exact (the
    # third derivative of a 3 x 3 det is a constant tensor: +-1 where the three rows and
    # the three columns differ)
    rng = np.random.default_rng(4)
    v, w = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    want = np.zeros((3, 3))
    import itertools
    for (i, k, m), (j, l, q) in itertools.product(itertools.permutations(range(3)), repeat=2):
        sign = np.linalg.det(np.eye(3)[[i, k, m]]) * np.linalg.det(np.eye(3)[[j, l, q]])
        want[i, j] += sign * v[k, l] * w[m, q]
    f2 = lambda m: nd.sum(nd.grad(LA.det)(m) * nd.asarray(v))
    f3 = nd.grad(lambda m: nd.sum(nd.grad(f2)(m) * nd.asarray(w)))
    for name in ("near", "singular", "identity", "generic"):
        got = f3(nd.asarray(_det_matrices()[name]))
        np.testing.assert_allclose(np.asarray(got), want, atol=1e-12, err_msg=name)
    # two equal singular values at an ill-conditioned matrix: the SVD has no derivative
    # there; a clear error, not NaN or a wrong number (the zero matrix gave 54% off)
    for name in ("rank1", "zeros"):
        with pytest.raises(np.linalg.LinAlgError, match="third or higher derivative"):
            f3(nd.asarray(_det_matrices()[name]))


# -- eigenvalues / singular values alone, at repeated ones ------------------------------
# The multi-output rules of eigh, eig and svd multiply the eigenvector (singular vector)
# cotangent by 1 / (w_j - w_i), infinite at a repeated value; when those vectors are
# unused the product was 0 * inf = nan: ``eigh(a)[0]`` of the identity had a nan gradient
# (HIPS autograd, and eigvalsh / svdvals here, give the finite one).
def test_eigenvalues_alone_at_repeated_eigenvalues():
    c = nd.asarray([1.0, 2.0, 3.0])
    g = nd.grad(lambda a: nd.sum(nd.linalg.eigh(a)[0] * c))(nd.asarray(np.eye(3)))
    np.testing.assert_array_equal(np.asarray(g), np.diag([1.0, 2.0, 3.0]))
    g = nd.grad(lambda a: nd.sum(nd.real(nd.linalg.eig(a)[0])))(nd.asarray(np.eye(3)))
    np.testing.assert_allclose(np.asarray(g), np.eye(3), atol=1e-15)
    g = nd.grad(lambda a: nd.sum(nd.linalg.eigh(a)[0]))(nd.asarray(np.zeros((3, 3))))
    assert np.isfinite(np.asarray(g)).all()


def test_singular_values_alone_at_repeated_singular_values():
    # an orthogonal matrix: every singular value is 1, and d sum(s) / dA = U V^T = Q
    q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))
    g = nd.grad(lambda a: nd.sum(nd.linalg.svd(a)[1]))(nd.asarray(q))
    np.testing.assert_allclose(np.asarray(g), q, atol=1e-12)
    g2 = nd.grad(lambda a: nd.sum(nd.linalg.svdvals(a)))(nd.asarray(q))
    np.testing.assert_allclose(np.asarray(g), np.asarray(g2), atol=1e-12)


def test_eigenvalues_alone_match_hips_autograd_at_repeated_eigenvalues():
    autograd = pytest.importorskip("autograd")
    import autograd.numpy as anp
    a = np.diag([2.0, 2.0, 5.0])
    w = np.array([0.5, -1.0, 3.0])
    want = autograd.grad(lambda m: anp.sum(anp.linalg.eigh(m)[0] * w))(a)
    got = nd.grad(lambda m: nd.sum(nd.linalg.eigh(m)[0] * nd.asarray(w)))(nd.asarray(a))
    np.testing.assert_allclose(np.asarray(got), want, atol=1e-12)


_NONFINITE = [[[1.0, np.nan], [0.0, 1.0]], [[np.inf, 1.0], [0.0, 1.0]],
              [[[1.0, np.nan], [0.0, 1.0]], [[2.0, 0.0], [0.0, 1.0]]],
              [[1.0, 2.0], [2.0, 4.0]], [[[1.0, 2.0], [2.0, 4.0]], [[np.inf, 0.0], [0.0, 1.0]]],
              [[1.0, 2.0], [3.0, 4.0]], [[1 + 1j, 2.0], [3.0, np.nan]]]


@pytest.mark.parametrize("p", [None, 2, -2, 1, -1, "fro", np.inf, -np.inf, "nuc"])
@pytest.mark.parametrize("m", range(len(_NONFINITE)))
def test_cond_of_nonfinite_or_singular_matrices_is_the_installed_numpys(m, p):
    """NumPy 2.5 gives nan or inf for a matrix holding a nan or inf (its SVD no longer
    raises); NumPy 2.4 raises LinAlgError for the SVD norms: ndgrad does what the
    installed NumPy does, value for value. (Where NumPy 2.4 raises for the nuclear cond
    of a singular matrix, ndgrad gives inf.)"""
    a = np.array(_NONFINITE[m])
    for dt in ((np.complex128,) if a.dtype.kind == "c" else (np.float64, np.float32)):
        x = a.astype(dt)
        with np.errstate(all="ignore"):
            try:
                want = np.linalg.cond(x, p)
            except np.linalg.LinAlgError:
                if p == "nuc":
                    # (2.4's nuclear cond of a singular matrix: ndgrad's is inf, or nan
                    # where the matrix holds a nan, or the same error)
                    try:
                        got = np.asarray(nd.linalg.cond(nd.asarray(x), p))
                    except nd.linalg.LinAlgError:
                        continue
                    assert np.all(np.isinf(got) | np.isnan(got)), got
                    continue
                with pytest.raises(nd.linalg.LinAlgError):
                    nd.linalg.cond(nd.asarray(x), p)
                continue
        got = np.asarray(nd.linalg.cond(nd.asarray(x), p))
        assert got.shape == np.shape(want) and got.dtype == np.asarray(want).dtype
        np.testing.assert_allclose(got, want, rtol=1e-5, equal_nan=True)


def test_interp_of_no_points_is_the_installed_numpys():
    """NumPy 2.5 interpolates an empty x on empty sample points to an empty result
    (2.4: ValueError); a non-empty x on no points is an error on both."""
    for x, fp in ((np.zeros(0), np.zeros(0)), (np.zeros((2, 0)), np.zeros(0, complex))):
        try:
            want = np.interp(x, np.zeros(0), fp)
        except ValueError:
            with pytest.raises(ValueError):
                nd.interp(nd.asarray(x), nd.asarray(np.zeros(0)), nd.asarray(fp))
            continue
        got = np.asarray(nd.interp(nd.asarray(x), nd.asarray(np.zeros(0)), nd.asarray(fp)))
        assert got.shape == want.shape and got.dtype == want.dtype
    with pytest.raises(ValueError):
        nd.interp(nd.asarray([1.0]), nd.asarray(np.zeros(0)), nd.asarray(np.zeros(0)))


def test_cond_under_jit_and_grad_is_eagers():
    """cond's NumPy 2.5 path (nan singular values for a non-finite matrix) tests no value
    in Python, so nd.jit traces it; its value and gradient equal eager's."""
    f = nd.jit(lambda x: nd.linalg.cond(x))
    for m in ([[1.0, 2.0], [3.0, 4.0]], [[1.0, np.nan], [3.0, 4.0]], [[np.inf, 0.0], [0.0, 1.0]]):
        try:
            want = np.asarray(nd.linalg.cond(nd.asarray(m)))
        except nd.linalg.LinAlgError:      # (NumPy 2.4: its SVD raises; so does the trace)
            with pytest.raises(nd.linalg.LinAlgError):
                f(nd.asarray(m))
            continue
        np.testing.assert_array_equal(np.asarray(f(nd.asarray(m))), want)
    x = nd.asarray([[1.0, 2.0], [3.0, 4.0]])
    g = nd.grad(lambda x: nd.linalg.cond(x))
    np.testing.assert_allclose(np.asarray(nd.jit(g)(x)), np.asarray(g(x)), rtol=1e-12)

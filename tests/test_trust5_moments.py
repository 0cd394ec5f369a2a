"""mean/var/std and their nan* forms with NumPy's ``where=`` mask and var/std's
``mean=`` (a precomputed center, NumPy 2.0): these were silently ignored (nanmean, nanvar,
nanstd's ``where=``; every ``mean=``) or rounded otherwise than NumPy's masked reductions
(mean/var/std's ``where=``). Now NumPy's values bit for bit, recorded or not, and the
gradients of the masked functions (0 outside the mask and at NaN entries)."""
import numpy as np
import pytest

import ndgrad as nd
from helpers import fd_grad

FUNCS = ["mean", "var", "std", "nanmean", "nanvar", "nanstd"]
AXES = [(None, False), (0, False), (1, True), ((0, 1), True)]


def _inputs(dt):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 5)) * 3
    a = np.round(a).astype(dt) if dt == "int64" else a.astype(dt)
    if dt.startswith("complex"):
        a = a + 1j * rng.standard_normal((4, 5))
    an = a.copy()
    if dt != "int64":
        an[0, 1] = np.nan
        an[2, :] = np.nan
    wm = rng.random((4, 5)) > 0.3
    wm[1] = False   # an empty slice: NumPy's NaN (and its warning)
    return a, an, wm


def _same(got, want):
    got = np.asarray(got.detach())
    want = np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("dt", ["float32", "float64", "complex128", "int64"])
@pytest.mark.parametrize("fn", FUNCS)
def test_where_and_mean_values(fn, dt):
    a, an, wm = _inputs(dt)
    src = an if fn.startswith("nan") else a
    rec = dt != "int64"
    for axis, kd in AXES:
        calls = [{"where": wm}]
        if "mean" not in fn:
            mm = np.mean(a, axis=axis, keepdims=True) + 0.5
            calls += [{"mean": mm}, {"mean": mm, "where": wm}, {"mean": mm, "ddof": 1}]
        for kw in calls:
            want = getattr(np, fn)(src, axis=axis, keepdims=kd, **kw)
            for r in {False, rec}:
                got = getattr(nd, fn)(nd.asarray(src, requires_grad=r), axis=axis, keepdims=kd,
                                      **{k: nd.asarray(v) for k, v in kw.items()})
                _same(got, want)


CASES = [("mean", False, {"where": True}), ("var", False, {"where": True}),
         ("std", False, {"where": True}), ("var", False, {"mean": 1.0}),
         ("std", False, {"mean": 1.0, "ddof": 1}), ("nanmean", True, {"where": True}),
         ("nanvar", True, {"where": True}), ("nanstd", True, {"mean": 0.1}),
         ("nanvar", True, {"mean": 1.0, "where": True})]


@pytest.mark.parametrize("fn,nan,kw", CASES, ids=[f"{c[0]}-{sorted(c[2])}" for c in CASES])
def test_where_and_mean_gradients(fn, nan, kw):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((3, 4))
    if nan:
        a[0, 0] = np.nan
    wm = rng.random((3, 4)) > 0.3
    wm[:, 0] = True
    kws = {k: nd.asarray(wm if k == "where" else np.full((3, 1), v)) for k, v in kw.items()
           if k != "ddof"}
    kws.update({k: v for k, v in kw.items() if k == "ddof"})
    w = nd.asarray(rng.standard_normal((3, 1)))

    def f(x):
        # the NaN entries stay NaN whatever finite differences do to them
        x = nd.where(nd.asarray(np.isnan(a)), np.nan, x)
        return nd.sum(getattr(nd, fn)(x, axis=1, keepdims=True, **kws) * w)
    a0 = np.where(np.isnan(a), 0.0, a)
    g = np.asarray(nd.grad(f)(nd.asarray(a0)))
    np.testing.assert_allclose(g, fd_grad(f, a0), atol=1e-7)
    if "where" in kw:   # nothing flows outside the mask, nor to NaN entries
        np.testing.assert_array_equal(g[~wm | np.isnan(a)], 0.0)


def test_gradient_with_respect_to_the_given_mean():
    a = np.array([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5]])
    w = nd.asarray([[2.0], [-1.0]])

    def f(m):
        return nd.sum(nd.var(nd.asarray(a), axis=1, keepdims=True, mean=m) * w)
    m0 = np.array([[0.5], [1.0]])
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(m0))), fd_grad(f, m0),
                               rtol=1e-7)

"""``out=`` against NumPy: every function that takes it fills it and returns it, refuses
the dtypes NumPy's casting rule refuses (NumPy's TypeError, ``out`` untouched, never a
truncated float in an int array), and gives the un-aliased result when ``out`` is, or is
a view of, one of its inputs.

(NumPy's ``concatenate``/``stack`` copy input by input, so an ``out`` that overlaps a
later input reads values already overwritten: ``np.concatenate([x[3:], x[:3]], out=x)``
gives ``[3, 4, 5, 3, 4, 5]``. ndgrad computes the result first and then writes it, which
is what the call means; those two tests compare with NumPy on copies of the inputs.)
"""
import warnings

import numpy as np
import pytest

import ndgrad as nd

F = np.arange(1.0, 7.0).reshape(2, 3) / 3
I = np.arange(6).reshape(2, 3)
C = F + 1j

# name -> (function of (module, X, out), shape of out); X is (2, 3)
CALLS = {
    "clip": (lambda m, X, o: m.clip(X, 0, 1, out=o), (2, 3)),
    "method clip": (lambda m, X, o: m.asarray(X).clip(0, 1, out=o), (2, 3)),
    "round": (lambda m, X, o: m.round(X, 1, out=o), (2, 3)),
    "around 0": (lambda m, X, o: m.around(X, out=o), (2, 3)),
    "method round": (lambda m, X, o: m.asarray(X).round(1, out=o), (2, 3)),
    "fix": (lambda m, X, o: m.fix(X, out=o), (2, 3)),
    "einsum": (lambda m, X, o: m.einsum("ij->ij", X, out=o), (2, 3)),
    "einsum unsafe": (lambda m, X, o: m.einsum("ij->ij", X, out=o, casting="unsafe"),
                      (2, 3)),
    "matmul": (lambda m, X, o: m.matmul(X, m.ones((3, 3), X.dtype), out=o), (2, 3)),
    "outer": (lambda m, X, o: m.outer(X[0], X[1, :2], out=o), (3, 2)),
    "cumsum": (lambda m, X, o: m.cumsum(X, axis=1, out=o), (2, 3)),
    "concatenate": (lambda m, X, o: m.concatenate([X[:1], X[1:]], out=o), (2, 3)),
    "take": (lambda m, X, o: m.take(X, [[0, 1, 2], [3, 4, 5]], out=o), (2, 3)),
    "compress": (lambda m, X, o: m.compress([1, 1], X, axis=0, out=o), (2, 3)),
    "method compress": (lambda m, X, o: m.asarray(X).compress([0, 1, 1], axis=1, out=o),
                        (2, 2)),
    "add": (lambda m, X, o: m.add(X, X, out=o), (2, 3)),
    "add.accumulate": (lambda m, X, o: m.add.accumulate(X, axis=1, out=o), (2, 3)),
    "multiply.accumulate": (lambda m, X, o: m.multiply.accumulate(X, axis=0, out=o),
                            (2, 3)),
    "sum": (lambda m, X, o: m.sum(X, axis=0, out=o), (3,)),
    "var": (lambda m, X, o: m.var(X, axis=0, out=o), (3,)),
    "std": (lambda m, X, o: m.std(X, axis=0, out=o), (3,)),
    "nanstd": (lambda m, X, o: m.nanstd(X, axis=0, out=o), (3,)),
    "ptp": (lambda m, X, o: m.ptp(X, axis=0, out=o), (3,)),
    "argmax": (lambda m, X, o: m.argmax(X, axis=0, out=o), (3,)),
    "argmin": (lambda m, X, o: m.argmin(X, axis=0, out=o), (3,)),
    "median": (lambda m, X, o: m.median(X, axis=0, out=o), (3,)),
    "quantile": (lambda m, X, o: m.quantile(X, 0.3, axis=0, out=o), (3,)),
    "percentile": (lambda m, X, o: m.percentile(X, 30, axis=0, out=o), (3,)),
    "nanmean": (lambda m, X, o: m.nanmean(X, axis=0, out=o), (3,)),
    "nanmedian": (lambda m, X, o: m.nanmedian(X, axis=0, out=o), (3,)),
    "nanquantile": (lambda m, X, o: m.nanquantile(X, 0.3, axis=0, out=o), (3,)),
    "nanpercentile": (lambda m, X, o: m.nanpercentile(X, 30, axis=0, out=o), (3,)),
    "nanvar": (lambda m, X, o: m.nanvar(X, axis=0, out=o), (3,)),
    "logical_and.reduce": (lambda m, X, o: m.logical_and.reduce(X, axis=0, out=o), (3,)),
    "logical_or.reduce": (lambda m, X, o: m.logical_or.reduce(X, axis=0, out=o), (3,)),
}
NO_COMPLEX = {"clip", "method clip", "round", "around 0", "method round", "fix", "ptp",
              "argmax", "argmin", "median", "quantile", "percentile", "cumsum", "nanmedian",
              "nanquantile", "nanpercentile"}


def _outcome(m, f, X, shape, odt, out_kind):
    o = (np.zeros if out_kind == "numpy" else m.zeros)(shape, odt)
    before = np.asarray(o).copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = f(m, X, o)
        except TypeError:
            return "TypeError", np.asarray(o).copy(), before, None
    return "ok", np.asarray(o).copy(), before, r is o


@pytest.mark.parametrize("name", sorted(CALLS))
def test_out_casting_and_filling_as_numpy(name):
    f, shape = CALLS[name]
    for X in (F, I, C):
        if X is C and name in NO_COMPLEX:
            continue
        for odt in (np.int64, np.int8, np.float64, np.float32, np.bool_, np.complex128):
            want, wv, _, wid = _outcome(np, f, X, shape, odt, "numpy")
            for out_kind in ("ndgrad", "numpy"):
                got, gv, before, gid = _outcome(nd, f, X, shape, odt, out_kind)
                where = f"{name}: input {X.dtype}, out {np.dtype(odt)} ({out_kind})"
                assert got == want, where
                if want == "ok":
                    assert gid, f"{where}: the return value is not out itself"
                    if not (name.endswith("round") and odt == np.complex128 and X is F):
                        # (rounding into complex: NumPy multiplies and divides in
                        # complex, a last-bit difference from the real rounding)
                        np.testing.assert_array_equal(gv, wv, err_msg=where)
                else:
                    np.testing.assert_array_equal(gv, before, err_msg=where + " was written")


# name -> (call of (module, x, out), the view of x that is out); inputs are views of x
ALIASED = {
    "concatenate": (lambda m, x, o: m.concatenate([x[1:], x[:1]], out=o), lambda x: x),
    "stack": (lambda m, x, o: m.stack([x[2], x[1], x[0]], out=o), lambda x: x),
    "add reversed": (lambda m, x, o: m.add(x, x[::-1], out=o), lambda x: x),
    "subtract shifted": (lambda m, x, o: m.subtract(x[:, 1:], x[:, :-1], out=o),
                         lambda x: x[:, :-1]),
    "matmul": (lambda m, x, o: m.matmul(x[:, :3], x[:3, :3], out=o), lambda x: x[:, :3]),
    "matmul transposed": (lambda m, x, o: m.matmul(x[:, :3], x[:, :3].T, out=o),
                          lambda x: x[:, :3].T[:3]),
    "dot": (lambda m, x, o: m.dot(x[:2, :3], x[:3], out=o), lambda x: x[1:]),
    "einsum": (lambda m, x, o: m.einsum("ij,jk->ik", x[:, :3], x[:3, :3], out=o),
               lambda x: x[:, :3]),
    "cumsum reversed": (lambda m, x, o: m.cumsum(x[:, ::-1], axis=1, out=o), lambda x: x),
    "cumprod": (lambda m, x, o: m.cumprod(x, axis=0, out=o), lambda x: x[::-1]),
    "take reversed": (lambda m, x, o: m.take(x, np.arange(12)[::-1].reshape(3, 4), out=o),
                      lambda x: x),
    "clip reversed": (lambda m, x, o: m.clip(x[::-1], x, 8.0, out=o), lambda x: x),
    "sum into a row": (lambda m, x, o: m.sum(x, axis=0, out=o), lambda x: x[0]),
    "mean into a column": (lambda m, x, o: m.mean(x, axis=1, out=o), lambda x: x[:, 2]),
    "var into a row": (lambda m, x, o: m.var(x, axis=0, out=o), lambda x: x[1]),
    "median into a row": (lambda m, x, o: m.median(x, axis=0, out=o), lambda x: x[2]),
    "add.accumulate reversed": (lambda m, x, o: m.add.accumulate(x[::-1], out=o),
                                lambda x: x),
    "maximum.accumulate": (lambda m, x, o: m.maximum.accumulate(x[:, ::-1], axis=1, out=o),
                           lambda x: x),
    "compress reversed": (lambda m, x, o: m.compress([1, 1, 0], x[::-1], axis=0, out=o),
                          lambda x: x[:2]),
    "choose": (lambda m, x, o: m.choose(np.eye(3, 4, dtype=int), [x, x[::-1]], out=o),
               lambda x: x),
    "divmod": (lambda m, x, o: m.divmod(x[::-1], 5.0, out=(o, m.zeros_like(o))),
               lambda x: x),
}


@pytest.mark.parametrize("name", sorted(ALIASED))
@pytest.mark.parametrize("kind", ["ndgrad", "numpy"])
def test_out_aliasing_an_input_gives_the_unaliased_result(name, kind):
    call, view = ALIASED[name]
    # NumPy's value of the call on the original values, into a separate out, then
    # written where out points: what the call means
    src = np.arange(12.0).reshape(3, 4)
    sep = np.zeros_like(view(src))
    call(np, src.copy(), sep)
    want = src.copy()
    view(want)[...] = sep
    x = nd.arange(12.0).reshape(3, 4) if kind == "ndgrad" else np.arange(12.0).reshape(3, 4)
    o = view(x)
    r = call(nd, x, o)
    np.testing.assert_array_equal(np.asarray(x), want, err_msg=name)
    assert (r[0] if isinstance(r, tuple) else r) is o


_OUT_UFUNCS = ["add", "subtract", "multiply", "true_divide", "floor_divide", "remainder",
               "power", "maximum", "minimum", "arctan2", "hypot", "fmod", "logaddexp",
               "copysign", "heaviside", "fmax", "sin", "exp", "negative", "sqrt"]


@pytest.mark.parametrize("name", _OUT_UFUNCS)
@pytest.mark.parametrize("in_shape,out_shape", [((1, 3), (3,)), ((3,), (2, 3)),
                                                ((2, 1), (2, 3)), ((3,), (1, 3)),
                                                ((2, 3), (3,)), ((1, 1), ())])
def test_out_takes_numpys_broadcast_rule(name, in_shape, out_shape):
    """NumPy broadcasts a ufunc's inputs to ``out`` but never its result into ``out``:
    ``np.add(m, m, out=o)`` with ``m`` (1, 3) and ``o`` (3,) raises ValueError and leaves
    ``o``; ndgrad wrote the result into it (``out[...] = res`` drops a leading 1), and so
    did ``v //= m``."""
    outcomes = []
    for xp in (np, nd):
        o = xp.asarray(np.zeros(out_shape))
        m = xp.asarray(np.arange(1.0, 1.0 + np.prod(in_shape)).reshape(in_shape))
        f = getattr(xp, name)
        try:
            with np.errstate(all="ignore"):
                f(m, m, out=o) if getattr(np, name).nin == 2 else f(m, out=o)
            outcomes.append(("ok", np.asarray(o).tolist()))
        except ValueError:
            outcomes.append(("ValueError", np.asarray(o).tolist()))
    assert outcomes[1] == outcomes[0]


@pytest.mark.parametrize("op", ["+=", "-=", "*=", "/=", "//=", "%=", "**="])
def test_in_place_operators_refuse_a_result_of_another_shape(op):
    outcomes = []
    for xp in (np, nd):
        v = xp.asarray(np.array([5.0, 1.0, 2.0]))
        env = {"v": v, "m": xp.asarray(np.array([[5.0, 1.0, 2.0]]))}
        try:
            exec(f"v {op} m", env)
            outcomes.append(("ok", np.asarray(v).tolist()))
        except ValueError:
            outcomes.append(("ValueError", np.asarray(v).tolist()))
    assert outcomes[1] == outcomes[0]

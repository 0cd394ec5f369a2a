"""Every registry gradient case on the Dask backend: lazy, and equal to the NumPy backend.

Each case of ``tests/test_registry.py`` (the op walk that every differentiable op must
join) runs on Dask arrays cut into several chunks: its value and the gradient of the sum
of its outputs are built with a counting scheduler installed, which must count no
computation at all, and then computed and compared with the same on NumPy arrays. The
few cases Dask cannot run lazily are listed with the clear error each must raise.
"""
import numpy as np
import pytest

pytest.importorskip("dask")
import dask  # noqa: E402

import ndgrad as nd  # noqa: E402
from test_registry import CASES  # noqa: E402  (tests/ is on sys.path)
from dask_helpers import CountingScheduler  # noqa: E402

# case -> (error type, text the message must hold): refused by name, never computed
REFUSED = {
    # x[boolean mask]: the masked length is unknown until computed, so the gradient (which
    # broadcasts the cotangent to that length) is refused, suggesting nd.where
    "getitem": (ValueError, "not known until computed"),
    "getitem_advanced": (ValueError, "not known until computed"),
    # the residuals' length depends on the rank: unknown until computed
    "linalg.lstsq": (ValueError, "not known until computed"),
    "scipy.signal.convolve": (TypeError, "does not run on the Dask backend"),
    # (odeint's case skips itself off the NumPy backend)
}
# case -> why it computes: the value decides the *shape* of the graph, so TF's dynamic
# reshape reads its small shape tensor (as TensorFlow reads it on the host)
COMPUTES = {"tf.reshape_dynamic": "the shape tensor's values are the output's shape",
            "tf.tile_dynamic": "the multiples tensor's values decide the output's shape",
            "tf.tile_grad_dynamic": "the multiples tensor's values decide the tiles summed"}


def _loss(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    total = 0.0
    for o in outs:
        if isinstance(o, nd.Array) and o.dtype.kind in "fc":
            total = total + nd.sum(nd.real(o) if o.dtype.kind == "c" else o)
    return total


def _inputs(case, seed):
    rng = np.random.default_rng(seed)
    raw = [rng.uniform(case.low, case.high, s) for s in case.shapes]
    return list(case.prep(*raw)) if case.prep is not None else raw


def _close(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_registry_case_is_lazy_and_equals_numpy(name):
    case = CASES[name]
    raw = _inputs(case, sum(map(ord, name)))
    argnums = tuple(range(len(raw)))
    cpu = [nd.asarray(r) for r in raw]
    on_dask = [nd.asarray(r, device="dask", chunks=2) for r in raw]
    ref = case.fn(*cpu)
    gref = nd.grad(lambda *a: _loss(case.fn(*a)), argnums=argnums)(*cpu)
    counter = CountingScheduler()
    with dask.config.set(scheduler=counter):
        if name in REFUSED:
            err, text = REFUSED[name]
            with pytest.raises(err, match=text):
                case.fn(*on_dask)
                nd.grad(lambda *a: _loss(case.fn(*a)), argnums=argnums)(*on_dask)
            assert counter.calls == 0
            return
        out = case.fn(*on_dask)
        g = nd.grad(lambda *a: _loss(case.fn(*a)), argnums=argnums)(*on_dask)
        if name in COMPUTES:
            assert counter.calls > 0, f"{name} no longer computes: remove it from COMPUTES"
        else:
            assert counter.calls == 0, f"{name} computed {counter.calls} graph(s) while " \
                                       "building its value and gradient"
    outs = out if isinstance(out, (tuple, list)) else (out,)
    refs = ref if isinstance(ref, (tuple, list)) else (ref,)
    for o in list(outs) + list(g):
        if isinstance(o, nd.Array):
            assert str(o.device) == "dask", f"{name}: a result on {o.device}"
    for o, r in zip(outs, refs):
        _close(o, r)
    for o, r in zip(g, gref):
        _close(o, r)

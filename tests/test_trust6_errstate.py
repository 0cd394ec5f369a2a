"""NumPy's floating-point error state (``np.errstate``, ``np.seterr``; ``nd.errstate`` is
NumPy's) and ndgrad: an op raises or warns where NumPy's own call does, and a gradient
never raises or warns of its own (its rules' guarded divisions and the underflows inside
a derivative formula are no error of the user's; PyTorch and JAX report none either),
returns the value it has without the error state, and leaves the caller's state as it was.
"""
import warnings

import numpy as np
import pytest

import ndgrad as nd

FORWARD = {
    "log(0)": lambda m: m.log(m.asarray([0.0, 1.0])),
    "1/0": lambda m: m.asarray([1.0]) / m.asarray([0.0]),
    "0/0": lambda m: m.asarray([0.0]) / 0.0,
    "sqrt(-1)": lambda m: m.sqrt(m.asarray([-1.0])),
    "exp overflow": lambda m: m.exp(m.asarray([1000.0])),
    "float32 overflow": lambda m: m.asarray([1e30], dtype=m.float32) * 1e30,
    "arcsin(2)": lambda m: m.arcsin(m.asarray([2.0])),
    "power(0, -1)": lambda m: m.power(m.asarray([0.0]), -1.0),
    "int // 0": lambda m: m.asarray([1]) // m.asarray([0]),
    "float // 0": lambda m: m.asarray([1.0]) // m.asarray([0.0]),
    "underflow": lambda m: m.asarray([1e-300]) * 1e-300,
    "sum overflow": lambda m: m.sum(m.asarray([1e308, 1e308])),
    "matmul overflow": lambda m: m.asarray([[1e308, 1e308]]) @ m.asarray([[10.0], [10.0]]),
    "fine": lambda m: m.sin(m.asarray([1.0, 2.0])),
}


def _outcome(f):
    try:
        f()
    except FloatingPointError as e:
        return "FloatingPointError " + str(e).split(" encountered")[0]
    except RuntimeWarning as e:
        return "RuntimeWarning " + str(e).split(" encountered")[0]
    return "ok"


@pytest.mark.parametrize("name", sorted(FORWARD))
def test_ops_raise_and_warn_as_numpy(name):
    f = FORWARD[name]
    for state in ({"all": "raise"}, {"divide": "raise"}, {"over": "raise", "under": "raise"},
                  {"all": "warn"}, {"all": "ignore"}):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(**state):
                want = _outcome(lambda: f(np))
            with nd.errstate(**state):
                got = _outcome(lambda: f(nd))
            old = np.seterr(**state)
            try:
                got_seterr = _outcome(lambda: f(nd))
            finally:
                np.seterr(**old)
        assert got == want == got_seterr, (name, state)


# functions whose forward is fine at the point while a rule divides by zero, multiplies
# inf by zero or underflows inside (each raised FloatingPointError under all='raise').
# arctan and tanh at 1e-200: the rule's x * x underflows; at a subnormal 1e-320 NumPy's
# own arctan reports underflow on some CPUs (an AMD EPYC's), so the forward would raise
BACKWARD = [
    ("sqrt", nd.sqrt, 0.0), ("x**0.5", lambda x: x ** 0.5, 0.0),
    ("cbrt", nd.cbrt, 0.0), ("arcsin", nd.arcsin, 1.0), ("arccos", nd.arccos, -1.0),
    ("arccosh", nd.arccosh, 1.0), ("arctan", nd.arctan, 1e-200),
    ("arctan at 1e300", nd.arctan, 1e300), ("tanh", nd.tanh, 1e-200),
    ("log", nd.log, 1e-320), ("reciprocal", nd.reciprocal, 1e300),
    ("arctan2 at the origin", lambda x: nd.arctan2(x, x), 0.0),
    ("hypot at inf", lambda x: nd.hypot(x, x), np.inf),
    ("norm at inf", lambda x: nd.linalg.norm(nd.stack([x, x])), np.inf),
    ("where-guarded sqrt", lambda x: nd.where(x > 0, nd.sqrt(nd.abs(x)), 0.0), 0.0),
    ("logaddexp at inf", lambda x: nd.logaddexp(x, x), np.inf),
    ("cumprod at inf", lambda x: nd.sum(nd.cumprod(nd.stack([x, x, 2 * x]))), np.inf),
]


@pytest.mark.parametrize("name,f,x0", BACKWARD, ids=[b[0] for b in BACKWARD])
def test_gradients_neither_raise_nor_warn_nor_change_the_error_state(name, f, x0):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = float(nd.grad(f)(nd.asarray(x0)))      # the value, reports silenced
    for state in ({"all": "raise"}, {"all": "warn"}):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(**state):
                before = np.geterr()
                f(nd.asarray(x0))                         # the forward is fine here
                g = nd.grad(f)(nd.asarray(x0))
                x = nd.asarray(x0, requires_grad=True)
                f(x).backward()
                assert np.geterr() == before
        np.testing.assert_array_equal(float(g), want)
        np.testing.assert_array_equal(float(x.grad), want)


def test_second_order_and_jvp_under_raise():
    with np.errstate(all="raise"):
        h = nd.hessian(lambda x: nd.sum(nd.sqrt(x)))(nd.asarray([0.0, 4.0]))
        _, t = nd.jvp(nd.arcsin, (nd.asarray(1.0),), (nd.asarray(1.0),))
        assert np.geterr()["divide"] == "raise"
    assert np.isnan(h[0, 0]) or np.isinf(h[0, 0])
    np.testing.assert_allclose(float(h[1, 1]), -0.25 * 4.0 ** -1.5)
    assert float(t) == np.inf


def test_quiet_span_keeps_the_callers_other_settings_and_follows_changes():
    """``_fperr.ignore`` (backward's, Session.run's and nd.jit's quiet span) switches off
    the error modes only: the caller's buffer size and error callback stay, also after
    the caller changes them between two spans (the quiet state is remade, not cached
    from an earlier state), and the caller's state is back afterwards."""
    from ndgrad._fperr import ignore, restore
    calls = []
    old_size = np.getbufsize()
    old_call = np.geterrcall()
    try:
        for size in (8192, 64 * 1024, 8192):
            np.setbufsize(size)
            with np.errstate(all="raise", call=calls.append):
                token = ignore()
                try:
                    inside = (np.geterr(), np.getbufsize(), np.geterrcall())
                    np.log(np.asarray([0.0]))   # no error, no call
                finally:
                    restore(token)
                assert np.geterr()["divide"] == "raise"
                with pytest.raises(FloatingPointError):
                    np.log(np.asarray([0.0]))
            assert set(inside[0].values()) == {"ignore"}
            assert inside[1] == size
            assert inside[2] == calls.append
        assert calls == []
    finally:
        np.setbufsize(old_size)
        np.seterrcall(old_call)
